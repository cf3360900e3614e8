// Placeholder until the API client lands (issue 3).
import { ExitCode, type CliCommand } from './io';
export const runReplace: CliCommand = async (_args, io) => { io.stderr('sectigo-csr replace: not built yet\n'); return ExitCode.usage; };
