// Placeholder until the API client lands (issue 3).
import { ExitCode, type CliCommand } from './io';
export const runRevoke: CliCommand = async (_args, io) => { io.stderr('sectigo-csr revoke: not built yet\n'); return ExitCode.usage; };
