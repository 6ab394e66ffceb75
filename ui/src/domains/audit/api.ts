// What the audit domain asks of the desk: each a command of src-tauri/src/commands/audit.rs.
import { call, type AuditQuery } from "../../lib/api";

export const auditApi = {
  browse: (query: AuditQuery) => call("browse_audit", { query }),
};
