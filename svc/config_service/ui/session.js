// Who is signed in (from GET /tokens/self) and what their role lets the page offer.

const WRITERS = ['writer', 'admin'];
const AUDITORS = ['auditor', 'admin'];

export function sessionFor(self) {
  return {
    self,
    canWrite: WRITERS.includes(self.role),
    canAudit: AUDITORS.includes(self.role),
    isAdmin: self.role === 'admin',
  };
}
