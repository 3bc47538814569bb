import { formatTable } from '../../../scripts/admin/input';

describe('admin CLI output', () => {
  it('aligns table columns', () => {
    expect(formatTable(['A', 'LONGER'], [['wide cell', 'x'], ['y', '']])).toEqual(['A          LONGER', 'wide cell  x', 'y']);
  });
});
