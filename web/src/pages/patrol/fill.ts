/** Puts values into a message's {placeholders}: fill('{n} 条待发送', { n: 2 }) → '2 条待发送'. */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
