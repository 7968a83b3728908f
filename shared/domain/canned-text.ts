/** What fills a canned response's variables: the open conversation and the signed-in agent. */
export interface CannedContext {
  customerName: string | null;
  agentName: string;
  queueName: string | null;
}

/**
 * The snippet's text with its variables filled in. A value the conversation does not have (a
 * customer who gave no name) leaves nothing behind, and the space before it goes too ("Hi
 * {customer.name}," → "Hi,"). Unknown braces stay as written, for the agent to see and edit.
 */
export function fillCannedText(text: string, ctx: CannedContext): string {
  const values: Record<string, string | null> = { 'customer.name': ctx.customerName, 'agent.name': ctx.agentName, queue: ctx.queueName };
  return text.replace(/ ?\{(customer\.name|agent\.name|queue)\}/g, (match, name: string) => {
    const value = values[name]?.trim();
    if (!value) return '';
    return match.startsWith(' ') ? ` ${value}` : value;
  });
}

/** Whether a snippet matches what the agent typed after "/": every word in its title or text, any case. */
export function cannedMatches(item: { title: string; text: string }, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${item.title}\n${item.text}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}
