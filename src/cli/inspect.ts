// Placeholder until the CSR analysis lands (issue 2).
import { ExitCode, type CliCommand } from './io';
export const runInspect: CliCommand = async (_args, io) => { io.stderr('sectigo-csr inspect: not built yet\n'); return ExitCode.usage; };
export const runCheck: CliCommand = runInspect;
