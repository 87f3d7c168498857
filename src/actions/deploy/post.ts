import { cleanupSshState } from '../../lib/ssh-action.js';

cleanupSshState();
