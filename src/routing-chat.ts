/** One ChatPort over several platforms: each call goes to the adapter of the team's platform. */
import type { OutMessage } from './core/messages.js';
import { capabilitiesOf, type ChatCapabilities, ChatError, type ChatPort, DEFAULT_CAPABILITIES, type PostOptions, type Reaction, type SendOptions, type TeamRef } from './core/ports.js';

export class RoutingChat implements ChatPort {
  constructor(private readonly byPlatform: Partial<Record<TeamRef['platform'], ChatPort>>) {}

  private to(team: TeamRef): ChatPort {
    const chat = this.byPlatform[team.platform];
    if (!chat) throw new ChatError('unavailable', `no ${team.platform} adapter is running`, { permanent: false });
    return chat;
  }

  post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions) {
    return this.to(team).post(team, channelId, message, options);
  }
  reply(team: TeamRef, thread: string, message: OutMessage, options?: SendOptions) {
    return this.to(team).reply(team, thread, message, options);
  }
  update(team: TeamRef, message: string, content: OutMessage) {
    return this.to(team).update(team, message, content);
  }
  dm(team: TeamRef, userId: string, message: OutMessage, options?: SendOptions) {
    return this.to(team).dm(team, userId, message, options);
  }
  capabilities(team: TeamRef): ChatCapabilities {
    const chat = this.byPlatform[team.platform];
    return chat ? capabilitiesOf(chat, team) : DEFAULT_CAPABILITIES;
  }
  async react(team: TeamRef, message: string, reaction: Reaction): Promise<void> {
    await this.to(team).react?.(team, message, reaction);
  }
}
