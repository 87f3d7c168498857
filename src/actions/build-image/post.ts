import { cleanupRecordedState } from '../../lib/cleanup-state.js';

// Removes only what main provably made (see cleanup-state.ts): the SSH key folder and recorded temp dirs.
cleanupRecordedState();
