import { RedactionPolicyInput } from '../../../shared/api/redaction';
import type { RedactionPolicy } from '../../../shared/redaction';
import { parseInput } from '../../kernel/errors';
import type { ServerModule } from '../../kernel/module';
import type { RedactionService } from './redaction-service';

/** The redaction policy's routes: admins only; a change is audited and applies to the next message. */
export function redactionModule(service: RedactionService): ServerModule {
  return {
    name: 'redaction',
    routes: ({ app, guard }) => {
      const admin = guard(['admin']);
      app.get('/api/admin/redaction-policy', { preHandler: admin }, async (): Promise<RedactionPolicy> => service.get());
      app.put('/api/admin/redaction-policy', { preHandler: admin }, async (request): Promise<RedactionPolicy> => {
        const policy = parseInput(RedactionPolicyInput, request.body, 'redaction policy');
        const user = request.session!.user;
        return service.set(policy, { id: user.id, username: user.username });
      });
    },
  };
}
