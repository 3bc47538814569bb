import { describeErrorBody } from '../../server/taxii/error-sentence';

describe('describeErrorBody: what a remote said, in one sentence', () => {
  it.each([
    ['a TAXII error resource', JSON.stringify({ title: 'Unauthorized', description: 'wrong password' }), 'Unauthorized: wrong password'],
    ['a title alone', JSON.stringify({ title: 'Not Found' }), 'Not Found'],
    ['JSON that is no error resource', JSON.stringify({ more: false }), '{"more":false}'],
    ['a proxy page, its white space folded', '<html>\n  <body>Bad   Gateway</body>\n</html>', '<html> <body>Bad Gateway</body> </html>'],
  ])('%s', (_name, body, sentence) => {
    expect(describeErrorBody(body)).toBe(sentence);
  });

  it('cuts a long answer at 160 characters', () => {
    const sentence = describeErrorBody('x'.repeat(500));
    expect(sentence).toBe(`${'x'.repeat(160)}…`);
  });
});
