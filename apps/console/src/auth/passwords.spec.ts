import { passwordProblem } from './passwords';

describe('password length policy', () => {
  it('refuses short and overlong passwords, counting characters not bytes', () => {
    expect(passwordProblem('short', 10)).toMatch(/至少 10/);
    expect(passwordProblem('x'.repeat(129), 10)).toMatch(/至多 128/);
    expect(passwordProblem('接诉即办接诉即办接诉', 10)).toBeNull();
    expect(passwordProblem('correct horse', 10)).toBeNull();
  });
});
