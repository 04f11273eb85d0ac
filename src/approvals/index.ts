export { createApprovalsApp } from './app.js';
export { loadApprovalsConfig, defaultQuorum, type ApprovalsConfig } from './config.js';
export { ApprovalsService, type ApprovalsDeps } from './service.js';
export { startApprovalsServer, type ApprovalsServer } from './server.js';
export { FOUR_EYE_PATH } from './paths.js';
export { ROLES, type Role } from './operators.js';
