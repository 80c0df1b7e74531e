// Hand-written client code that must type-check against the generated farm-users interfaces.
import {
  AUTH_PROVIDER_VALUES,
  type AuthProvider,
  type User,
  type UserCreate,
  type UserUpdate,
} from "./index";

const providers: readonly AuthProvider[] = AUTH_PROVIDER_VALUES;

const signUp: UserCreate = {
  email: "ann@example.com",
  username: null,
  auth: { provider: "github", provider_id: "ann" },
  ai_preferences: { temperature: 0.2, enable_memory: false },
};

const patch: UserUpdate = { roles: ["admin"], last_active_at: "2024-05-06T07:08:09Z" };

function greeting(user: User): string {
  const name = user.profile.display_name ?? user.profile.first_name ?? user.email;
  return `${name} (${user.status}, ${user.auth.login_count} logins)`;
}

export { greeting, patch, providers, signUp };
