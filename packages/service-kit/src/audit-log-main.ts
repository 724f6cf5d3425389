/** `pnpm audit-log verify|archive`: see `runAuditLogCommand`. */
import { runAuditLogCommand } from './audit-log-command.js';
import { auditLogConfig } from './config.js';

process.exitCode = await runAuditLogCommand(process.argv.slice(2), auditLogConfig());
