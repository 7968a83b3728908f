import { endpoints } from '../../../shared/api/endpoints';
import type { ServerModule } from '../../kernel/module';
import { declareRoute } from '../../kernel/routes';
import type { RedactionService } from './redaction-service';

/** The redaction policy's routes: admins only; a change is audited and applies to the next message. */
export function redactionModule(service: RedactionService): ServerModule {
  return {
    name: 'redaction',
    routes: ({ app, guard }) => {
      const admin = guard(['admin']);
      declareRoute(app, endpoints.redactionPolicy, { preHandler: admin }, async () => service.get());
      declareRoute(app, endpoints.saveRedactionPolicy, { preHandler: admin, input: 'redaction policy' }, async ({ body: policy, request }) => {
        const user = request.session!.user;
        return service.set(policy, { id: user.id, username: user.username });
      });
    },
  };
}
