// A Sectigo log whose lines a test can read: the real SectigoLog (its redaction included) over a
// sink that keeps the lines instead of writing to an output channel.
import { SectigoLog, type LogSink } from '../../src/vscode/shared/log';

export function capturingLog(): { log: SectigoLog; lines: string[] } {
  const lines: string[] = [];
  const record = (line: string): void => void lines.push(line);
  const sink: LogSink = { debug: record, info: record, warn: record, error: record, show: () => undefined };
  return { log: new SectigoLog(sink), lines };
}
