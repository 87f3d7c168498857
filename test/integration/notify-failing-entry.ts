// An action entry that fails, run by notify-failure.test.ts in a child process (runAction sets the exit code).
import { runAction } from '../../src/lib/action.js';

await runAction(process.env.DK_TEST_ACTION ?? 'ssh-rsync-deploy', () => {
  throw new Error('rsync to deploy@203.0.113.10 exited with code 23');
});
