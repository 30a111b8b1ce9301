import { Router } from 'express';
import type { ChatService } from '../../chat/chat-service';
import type { Config } from '../../config/config';

/** PLACEHOLDER until the page work lands: `/ai-demo`, static files and vendor assets. */
export function pageRoutes(_config: Config, _service: ChatService): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect('/ai-demo'));
  return router;
}
