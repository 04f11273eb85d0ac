export { createApprovalsApp } from './app.js';
export { loadApprovalsConfig, defaultQuorum, OPERATOR_LOCKOUT, type ApprovalsConfig } from './config.js';
export { ApprovalAudit } from './audit.js';
export { ApprovalsService, type ApprovalsDeps } from './service.js';
export { startApprovalsServer, type ApprovalsServer } from './server.js';
export { FOUR_EYE_PATH } from './paths.js';
export { normalizeUsername, OperatorStore, ROLES, type Role } from './operators.js';
export { resetTwoStep } from './two-step/store.js';
