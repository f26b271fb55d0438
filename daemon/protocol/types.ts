export type { Reply, Request } from '../../lib/client/wire/messages.js';
