import { endpoints } from '../../../shared/api/endpoints';
import type { ServerModule } from '../../kernel/module';
import { declareRoute } from '../../kernel/routes';
import type { SensitiveKeywordsService } from './service';

/** The sensitive keyword rules' routes: admins only; a change is audited and applies to the next message. */
export function sensitiveKeywordsModule(service: SensitiveKeywordsService): ServerModule {
  return {
    name: 'sensitive-keywords',
    routes: ({ app, guard }) => {
      const admin = guard(['admin']);
      declareRoute(app, endpoints.sensitiveKeywords, { preHandler: admin }, async () => service.get());
      declareRoute(app, endpoints.saveSensitiveKeywords, { preHandler: admin, input: 'sensitive keyword rules' }, async ({ body, request }) => {
        const user = request.session!.user;
        return service.set(body, { id: user.id, username: user.username });
      });
    },
  };
}
