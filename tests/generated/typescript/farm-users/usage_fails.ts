// Must NOT type-check: private fields are not part of the client types.
import type { User } from "./index";

function leak(user: User): string | null | undefined {
  return user.password_hash;
}

export { leak };
