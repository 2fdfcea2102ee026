import { MissingVariableError, renderTemplate, smsSegments, TemplateRow } from './template-renderer';

const t = (over: Partial<TemplateRow> = {}): TemplateRow => ({
  id: 't',
  tenantId: null,
  templateKey: 'k',
  channelCode: 'email',
  subject: 'Hi {{name}}',
  content: 'Due {{due_date}} {{link}}',
  contentHtml: null,
  variables: [{ name: 'name', required: true }, { name: 'due_date' }, { name: 'link', required: false, default: '-' }],
  providerTemplateId: null,
  ...over,
});

describe('template rendering', () => {
  it('fills placeholders and applies declared defaults', () => {
    const r = renderTemplate(t(), { name: 'Ravi', due_date: '1 Dec' });
    expect(r.subject).toBe('Hi Ravi');
    expect(r.body).toBe('Due 1 Dec -');
    expect(r.params).toEqual([
      { name: 'name', value: 'Ravi' },
      { name: 'due_date', value: '1 Dec' },
      { name: 'link', value: '-' },
    ]);
  });

  it('escapes values in the HTML version, and only there', () => {
    const r = renderTemplate(t({ contentHtml: '<p>Hi {{name}}</p>' }), { name: '<b>R&D</b> "x"', due_date: '1 Dec' });
    expect(r.html).toBe('<p>Hi &lt;b&gt;R&amp;D&lt;/b&gt; &quot;x&quot;</p>');
    expect(r.subject).toBe('Hi <b>R&D</b> "x"');
  });

  it('refuses a message with a missing variable, naming it', () => {
    expect(() => renderTemplate(t(), { name: 'Ravi' })).toThrow(new MissingVariableError('due_date'));
    expect(() => renderTemplate(t({ subject: null, content: '{{undeclared}}', variables: [] }), {})).toThrow('template variable undeclared is missing');
  });

  it('counts SMS segments for GSM-7 and Unicode text', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', segments: 2 });
    expect(smsSegments('नमस्ते'.repeat(20))).toMatchObject({ encoding: 'ucs2', segments: 2 });
  });
});
