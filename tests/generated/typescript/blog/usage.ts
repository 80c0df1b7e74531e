// Hand-written client code that must type-check against the generated blog interfaces.
import {
  POST_STATUS_VALUES,
  USER_ROLE_VALUES,
  type Comment,
  type Post,
  type PostCreate,
  type PostStatus,
  type PostUpdate,
  type User,
  type UserCreate,
} from "./index";

const draft: PostStatus = "draft";
const statuses: readonly PostStatus[] = POST_STATUS_VALUES;
const firstRole: string = USER_ROLE_VALUES[0];

const newUser: UserCreate = {
  email: "ann@example.com",
  username: "ann",
  profile: { display_name: "Ann", links: { website: "https://ann.example" } },
};

const newPost: PostCreate = {
  author: "6651a2b3c4d5e6f708192a3b",
  title: "Hello",
  slug: "hello",
  body: "First post",
  status: draft,
  tags: ["6651a2b3c4d5e6f708192a3c"],
  seo: { keywords: ["intro"] },
};

const edit: PostUpdate = { title: "Hello again", published_at: null };

function headline(post: Post, author: User): string {
  const when = post.published_at ?? post.created_at;
  return `${post.title} by ${author.username} (${when}, ${post.view_count} views)`;
}

function threadDepth(comment: Comment, byId: Map<string, Comment>): number {
  const parent = comment.parent ? byId.get(comment.parent) : undefined;
  return parent ? 1 + threadDepth(parent, byId) : 0;
}

export { edit, firstRole, headline, newPost, newUser, statuses, threadDepth };
