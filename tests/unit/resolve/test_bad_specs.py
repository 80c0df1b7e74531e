# ruff: noqa: E501  (each expected message stays on one line, as farmgen prints it)
"""Bad specs: each gives exactly these errors, with these positions, and nothing else.

The expected text is what ``farmgen validate`` prints (``PATH:LINE:COL: message (hint)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from farmgen.diagnostics import SpecError
from farmgen.resolve import load_schema


class BadSpec(NamedTuple):
    id: str
    files: dict[str, str]
    expected: list[str]


CASES = [
    BadSpec(
        "unknown-type",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      email: strng\n",
        },
        [
            "a.yaml:4:14: unknown type 'strng' for User.email (did you mean 'string'?)",
        ],
    ),
    BadSpec(
        "unknown-type-in-list",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      tags: list[strin]\n",
        },
        [
            "a.yaml:4:18: unknown type 'strin' for User.tags (did you mean 'string'?)",
        ],
    ),
    BadSpec(
        "unknown-field-key",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      email: {type: string, uniqe: true}\n",
        },
        [
            "a.yaml:4:29: unknown key 'uniqe' in field User.email (did you mean 'unique'?)",
        ],
    ),
    BadSpec(
        "unknown-model-key",
        {
            "a.yaml": "models:\n  User:\n    colection: people\n    fields: {a: int}\n",
        },
        [
            "a.yaml:3:5: unknown key 'colection' in model User (did you mean 'collection'?)",
        ],
    ),
    BadSpec(
        "unknown-top-key",
        {
            "a.yaml": "model:\n  User: {fields: {a: int}}\n",
        },
        [
            "a.yaml:1:1: unknown key 'model' at the top level (did you mean 'models'?)",
        ],
    ),
    BadSpec(
        "unknown-enum-key",
        {
            "a.yaml": "enums:\n  S: {values: [a], descr: x}\n",
        },
        [
            "a.yaml:2:20: unknown key 'descr' in enum S (did you mean 'description'?)",
        ],
    ),
    BadSpec(
        "unknown-embedded-key",
        {
            "a.yaml": "embedded:\n  P: {fields: {a: int}, field: {}}\n",
        },
        [
            "a.yaml:2:25: unknown key 'field' in embedded type P (did you mean 'fields'?)",
        ],
    ),
    BadSpec(
        "unknown-index-key",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: int\n    indexes:\n      - {fields: [a], uniq: true}\n",
        },
        [
            "a.yaml:6:23: unknown key 'uniq' in index 1 of User (did you mean 'unique'?)",
        ],
    ),
    BadSpec(
        "duplicate-key-yaml",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      email: string\n      email: int\n",
        },
        [
            "a.yaml:5:7: duplicate key 'email' (first at line 4, column 7)",
        ],
    ),
    BadSpec(
        "duplicate-key-json",
        {
            "a.json": '{"models": {"User": {"fields": {"a": "int", "a": "string"}}}}',
        },
        [
            "a.json:1:45: duplicate key 'a' (first at line 1, column 33)",
        ],
    ),
    BadSpec(
        "duplicate-model-across-files",
        {
            "a.yaml": "models:\n  User: {fields: {a: int}}\n",
            "b.yaml": "models:\n  User: {fields: {b: int}}\n",
        },
        [
            "b.yaml:2:3: model 'User' is already declared as a model at a.yaml:2:3",
        ],
    ),
    BadSpec(
        "duplicate-name-across-kinds",
        {
            "a.yaml": "models:\n  User: {fields: {a: int}}\n",
            "b.yaml": "enums:\n  User: [a]\n",
        },
        [
            "b.yaml:2:3: enum 'User' is already declared as a model at a.yaml:2:3",
        ],
    ),
    BadSpec(
        "unknown-ref",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      boss: ref[Usr]\n",
        },
        [
            "a.yaml:4:17: unknown model 'Usr' in ref[Usr] for User.boss (did you mean 'User'?)",
        ],
    ),
    BadSpec(
        "ref-to-enum",
        {
            "a.yaml": "enums:\n  S: [a]\nmodels:\n  User:\n    fields:\n      s: ref[S]\n",
        },
        [
            "a.yaml:6:14: ref[S] for User.s: 'S' is an enum, not a model (use 'S' without ref[...])",
        ],
    ),
    BadSpec(
        "ref-to-embedded",
        {
            "a.yaml": "embedded:\n  P: {fields: {a: int}}\nmodels:\n  User:\n    fields:\n      p: ref[P]\n",
        },
        [
            "a.yaml:6:14: ref[P] for User.p: 'P' is an embedded type, not a model (use 'P' without ref[...])",
        ],
    ),
    BadSpec(
        "model-as-type",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      boss: User\n",
        },
        [
            "a.yaml:4:13: 'User' is a model: User.boss must refer to it as ref[User]",
        ],
    ),
    BadSpec(
        "ref-in-embedded",
        {
            "a.yaml": "embedded:\n  P: {fields: {owner: 'ref[User]'}}\nmodels:\n  User:\n    fields:\n      a: int\n",
        },
        [
            "a.yaml:2:23: ref[User] for P.owner: embedded types cannot hold refs, only models can",
        ],
    ),
    BadSpec(
        "ref-in-dict",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      friends: dict[string, ref[User]]\n",
        },
        [
            "a.yaml:4:33: ref[User] for User.friends: a ref can only be a field's type or a list's item type (write ref[User] or list[ref[User]]: refs do not nest in dicts or deeper lists)",
        ],
    ),
    BadSpec(
        "ref-in-list-of-lists",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      friends: list[list[ref[User]]]\n",
        },
        [
            "a.yaml:4:30: ref[User] for User.friends: a ref can only be a field's type or a list's item type (write ref[User] or list[ref[User]]: refs do not nest in dicts or deeper lists)",
        ],
    ),
    BadSpec(
        "ref-in-list-of-dicts",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      friends: list[dict[string, ref[User]]]\n",
        },
        [
            "a.yaml:4:38: ref[User] for User.friends: a ref can only be a field's type or a list's item type (write ref[User] or list[ref[User]]: refs do not nest in dicts or deeper lists)",
        ],
    ),
    BadSpec(
        "dict-key-not-string",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      counts: dict[int, int]\n",
        },
        [
            "a.yaml:4:20: dict keys must be string in type 'dict[int, int]' for User.counts",
        ],
    ),
    BadSpec(
        "type-syntax",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      x: list[\n",
        },
        [
            "a.yaml:4:15: invalid type 'list[' for User.x: expected a type name but found the end",
        ],
    ),
    BadSpec(
        "optional-item",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      x: list[string?]\n",
        },
        [
            "a.yaml:4:21: invalid type 'list[string?]' for User.x: '?' can only end a field's type, not an item type",
        ],
    ),
    BadSpec(
        "bare-list",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      x: list\n",
        },
        [
            "a.yaml:4:10: type 'list' for User.x needs parameters: list[T]",
        ],
    ),
    BadSpec(
        "max-length-on-int",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      age: {type: int, max_length: 3}\n",
        },
        [
            "a.yaml:4:24: 'max_length' does not apply to User.age of type int (only to strings and lists)",
        ],
    ),
    BadSpec(
        "min-on-string",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      name: {type: string, min: 1}\n",
        },
        [
            "a.yaml:4:28: 'min' does not apply to User.name of type string (only to numbers)",
        ],
    ),
    BadSpec(
        "pattern-on-int",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      n: {type: int, pattern: '^1'}\n",
        },
        [
            "a.yaml:4:22: 'pattern' does not apply to User.n of type int (only to strings)",
        ],
    ),
    BadSpec(
        "min-greater-than-max",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      age: {type: int, min: 5, max: 1}\n",
        },
        [
            "a.yaml:4:24: min 5 is greater than max 1 for User.age",
        ],
    ),
    BadSpec(
        "min-length-greater",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, min_length: 5, max_length: 2}\n",
        },
        [
            "a.yaml:4:25: min_length 5 is greater than max_length 2 for User.s",
        ],
    ),
    BadSpec(
        "negative-length",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, max_length: -1}\n",
        },
        [
            "a.yaml:4:37: 'max_length' of User.s must be a whole number >= 0, found -1",
        ],
    ),
    BadSpec(
        "bad-pattern",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, pattern: '[a-'}\n",
        },
        [
            "a.yaml:4:34: invalid pattern for User.s: unterminated character set at position 0",
        ],
    ),
    BadSpec(
        "enum-takes-embedded-input-name",
        {
            "a.yaml": "enums:\n  ProfileInput: [a]\nembedded:\n  Profile:\n    fields: {bio: string}\n",
        },
        [
            "a.yaml:2:3: enum 'ProfileInput' clashes with the TypeScript name 'ProfileInput' derived from embedded type 'Profile' (at a.yaml:4:3) (each embedded type also gets an <Name>Input interface; rename one of them)",
        ],
    ),
    BadSpec(
        "model-takes-create-name",
        {
            "a.yaml": "models:\n  User:\n    fields: {a: int}\n",
            "b.yaml": "models:\n  UserCreate:\n    fields: {b: int}\n  UserUpdate:\n    fields: {c: int}\n",
        },
        [
            "b.yaml:2:3: model 'UserCreate' clashes with the TypeScript name 'UserCreate' derived from model 'User' (at a.yaml:2:3) (each model also gets <Name>Create and <Name>Update types; rename one of them)",
            "b.yaml:4:3: model 'UserUpdate' clashes with the TypeScript name 'UserUpdate' derived from model 'User' (at a.yaml:2:3) (each model also gets <Name>Create and <Name>Update types; rename one of them)",
        ],
    ),
    BadSpec(
        "model-takes-enum-values-name",
        {
            "a.yaml": "enums:\n  UserRole: [a]\nmodels:\n  USER_ROLE_VALUES:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:4:3: model 'USER_ROLE_VALUES' clashes with the TypeScript name 'USER_ROLE_VALUES' derived from enum 'UserRole' (at a.yaml:2:3) (each enum also gets a <NAME>_VALUES const; rename one of them)",
        ],
    ),
    BadSpec(
        "pattern-look-ahead",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, pattern: '^(?=.*[A-Z]).{8,}$'}\n",
        },
        [
            "a.yaml:4:34: pattern for User.s uses look-around or backreferences, which pydantic's regex engine does not support (at position 1) (write it without (?=, (?!, (?<=, (?<! and \\1, for example as simpler checks in code)",
        ],
    ),
    BadSpec(
        "pattern-backreference",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, pattern: '(a)\\1'}\n",
        },
        [
            "a.yaml:4:34: pattern for User.s uses look-around or backreferences, which pydantic's regex engine does not support (at position 3) (write it without (?=, (?!, (?<=, (?<! and \\1, for example as simpler checks in code)",
        ],
    ),
    BadSpec(
        "default-wrong-type",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      age: {type: int, default: abc}\n",
        },
        [
            "a.yaml:4:33: default for User.age must be an integer, found 'abc'",
        ],
    ),
    BadSpec(
        "default-not-enum-value",
        {
            "a.yaml": "enums:\n  S: [active, inactive]\nmodels:\n  User:\n    fields:\n      s: {type: S, default: actve}\n",
        },
        [
            "a.yaml:6:29: default 'actve' for User.s is not a value of S (did you mean 'active'?)",
        ],
    ),
    BadSpec(
        "default-null-not-optional",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      s: {type: string, default: null}\n",
        },
        [
            "a.yaml:4:34: default for User.s is null but the type is not optional (add '?' to the type)",
        ],
    ),
    BadSpec(
        "default-below-min",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      n: {type: int, min: 1, default: 0}\n",
        },
        [
            "a.yaml:4:39: default 0 for User.n is below min 1",
        ],
    ),
    BadSpec(
        "default-bad-datetime",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      t: {type: datetime, default: yesterday}\n",
        },
        [
            "a.yaml:4:36: default for User.t must be an ISO 8601 datetime, found 'yesterday'",
        ],
    ),
    BadSpec(
        "default-embedded-unknown-field",
        {
            "a.yaml": "embedded:\n  P:\n    fields: {name: string?}\nmodels:\n  User:\n    fields:\n      p: {type: P, default: {nme: x}}\n",
        },
        [
            "a.yaml:7:35: default for User.p: P has no field 'nme' (did you mean 'name'?)",
        ],
    ),
    BadSpec(
        "default-embedded-missing-required",
        {
            "a.yaml": "embedded:\n  P:\n    fields: {name: string}\nmodels:\n  User:\n    fields:\n      p: {type: P, default: {}}\n",
        },
        [
            "a.yaml:7:29: default for User.p lacks P's required field 'name'",
        ],
    ),
    BadSpec(
        "default-list-item",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      xs: {type: 'list[int]', default: [1, two]}\n",
        },
        [
            "a.yaml:4:44: default for User.xs[1] must be an integer, found 'two'",
        ],
    ),
    BadSpec(
        "default-on-ref",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      boss: {type: 'ref[User]?', default: abc}\n",
        },
        [
            "a.yaml:4:43: a ref[User] field cannot have a default other than null (User.boss)",
        ],
    ),
    BadSpec(
        "model-name-keyword",
        {
            "a.yaml": "models:\n  class:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:2:3: model name 'class' is a Python keyword",
        ],
    ),
    BadSpec(
        "model-name-typescript",
        {
            "a.yaml": "models:\n  Date:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:2:3: model name 'Date' is reserved in TypeScript",
        ],
    ),
    BadSpec(
        "model-name-underscore",
        {
            "a.yaml": "models:\n  _User:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:2:3: model name '_User' must not start with '_'",
        ],
    ),
    BadSpec(
        "model-name-scalar",
        {
            "a.yaml": "embedded:\n  string:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:2:3: embedded type name 'string' is a built-in type name",
        ],
    ),
    BadSpec(
        "field-name-invalid",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      first-name: string\n",
        },
        [
            "a.yaml:4:7: field name 'first-name' is not a valid identifier (User)",
        ],
    ),
    BadSpec(
        "field-name-id",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      id: int\n",
        },
        [
            "a.yaml:4:7: field name 'id' is reserved for the primary key (User)",
        ],
    ),
    BadSpec(
        "field-name-underscore-id",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      _id: objectid\n",
        },
        [
            "a.yaml:4:7: field name '_id' is reserved for the primary key (User)",
        ],
    ),
    BadSpec(
        "field-attr-collision",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      class: int\n      class_: int\n",
        },
        [
            "a.yaml:5:7: fields User.class and User.class_ both become the Python attribute 'class_'",
        ],
    ),
    BadSpec(
        "field-mixin-clash",
        {
            "a.yaml": "models:\n  User:\n    mixins: [timestamps]\n    fields:\n      created_at: datetime\n",
        },
        [
            "a.yaml:5:7: field User.created_at clashes with the timestamps mixin's field of that name",
        ],
    ),
    BadSpec(
        "names-collide-snake",
        {
            "a.yaml": "models:\n  UserPost:\n    fields: {a: int}\n  User_Post:\n    fields: {a: int}\n",
        },
        [
            "a.yaml:4:3: model 'User_Post' and model 'UserPost' (at a.yaml:2:3) both become 'user_post' in generated code",
        ],
    ),
    BadSpec(
        "collection-clash",
        {
            "a.yaml": "models:\n  User:\n    collection: people\n    fields: {a: int}\n  Person:\n    collection: people\n    fields: {a: int}\n",
        },
        [
            "a.yaml:5:3: models User (at a.yaml:2:3) and Person both use the collection 'people'",
        ],
    ),
    BadSpec(
        "collection-invalid",
        {
            "a.yaml": "models:\n  User:\n    collection: my-users\n    fields: {a: int}\n",
        },
        [
            "a.yaml:3:17: collection name 'my-users' of User must be letters, digits and '_' (at most 60 characters), not starting with a digit",
        ],
    ),
    BadSpec(
        "enum-member-collision",
        {
            "a.yaml": "enums:\n  S: [in-progress, in_progress]\n",
        },
        [
            "a.yaml:2:20: enum S: values 'in-progress' and 'in_progress' both become the member IN_PROGRESS (first at a.yaml:2:7)",
        ],
    ),
    BadSpec(
        "enum-duplicate-value",
        {
            "a.yaml": "enums:\n  S: [a, b, a]\n",
        },
        [
            "a.yaml:2:13: enum S: value 'a' is repeated (first at a.yaml:2:7)",
        ],
    ),
    BadSpec(
        "enum-non-string",
        {
            "a.yaml": "enums:\n  Answer: [yes, no]\n",
        },
        [
            "a.yaml:2:12: values of enum Answer must be strings, found a boolean (quote it: 'yes')",
            "a.yaml:2:17: values of enum Answer must be strings, found a boolean (quote it: 'no')",
        ],
    ),
    BadSpec(
        "enum-empty",
        {
            "a.yaml": "enums:\n  S: []\n",
        },
        [
            "a.yaml:2:6: enum S has no values",
        ],
    ),
    BadSpec(
        "embedded-cycle",
        {
            "a.yaml": "embedded:\n  A:\n    fields: {b: B}\n  B:\n    fields: {a: 'list[A]'}\n",
        },
        [
            "a.yaml:2:3: embedded types form a cycle: A → B → A",
        ],
    ),
    BadSpec(
        "embedded-self-cycle",
        {
            "a.yaml": "embedded:\n  Node:\n    fields: {children: 'list[Node]'}\n",
        },
        [
            "a.yaml:2:3: embedded types form a cycle: Node → Node",
        ],
    ),
    BadSpec(
        "search-unknown-field",
        {
            "a.yaml": "models:\n  User:\n    mixins: [searchable]\n    search: [nme]\n    fields: {name: string}\n",
        },
        [
            "a.yaml:4:14: unknown search field: User has no field 'nme' (did you mean 'name'?)",
        ],
    ),
    BadSpec(
        "search-without-mixin",
        {
            "a.yaml": "models:\n  User:\n    search: [name]\n    fields: {name: string}\n",
        },
        [
            "a.yaml:3:13: 'search' of User needs the searchable mixin",
        ],
    ),
    BadSpec(
        "index-unknown-field",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      name: string\n    indexes:\n      - [nme]\n",
        },
        [
            "a.yaml:6:10: unknown field in index 1 of User: User has no field 'nme' (did you mean 'name'?)",
        ],
    ),
    BadSpec(
        "index-bad-dotted-path",
        {
            "a.yaml": "embedded:\n  P:\n    fields: {first: string?}\nmodels:\n  User:\n    fields:\n      p: P\n    indexes:\n      - [p.frist]\n",
        },
        [
            "a.yaml:9:10: unknown field in index 1 of User: P has no field 'frist' (in 'p.frist') (did you mean 'first'?)",
        ],
    ),
    BadSpec(
        "index-path-into-scalar",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      name: string\n    indexes:\n      - [name.first]\n",
        },
        [
            "a.yaml:6:10: unknown field in index 1 of User: 'name' of User is not an embedded type, so 'name.first' does not exist",
        ],
    ),
    BadSpec(
        "index-bad-direction",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      name: string\n    indexes:\n      - [{name: down}]\n",
        },
        [
            "a.yaml:6:17: index direction for 'name' in index 1 of User must be asc or desc",
        ],
    ),
    BadSpec(
        "index-name-clash",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      name: {type: string, index: true}\n    indexes:\n      - [name]\n",
        },
        [
            "a.yaml:6:9: index 'ix_users_name' of User is already declared at a.yaml:4:7",
        ],
    ),
    BadSpec(
        "index-on-json",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      data: {type: json, index: true}\n",
        },
        [
            "a.yaml:4:33: User.data of type json cannot be indexed",
        ],
    ),
    BadSpec(
        "index-in-embedded",
        {
            "a.yaml": "embedded:\n  P:\n    fields:\n      a: {type: string, index: true}\n",
        },
        [
            "a.yaml:4:32: 'index' is not allowed on embedded type fields (P.a); index it from the model's 'indexes' with a dotted path",
        ],
    ),
    BadSpec(
        "unknown-mixin",
        {
            "a.yaml": "models:\n  User:\n    mixins: [timestamp]\n    fields: {a: int}\n",
        },
        [
            "a.yaml:3:14: unknown mixin 'timestamp' for User (did you mean 'timestamps'?)",
        ],
    ),
    BadSpec(
        "on-delete-not-ref",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: {type: int, on_delete: cascade}\n",
        },
        [
            "a.yaml:4:33: 'on_delete' applies only to ref[...] fields (User.a)",
        ],
    ),
    BadSpec(
        "on-delete-unknown",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      boss: {type: 'ref[User]', on_delete: cascad}\n",
        },
        [
            "a.yaml:4:44: unknown on_delete 'cascad' for User.boss (did you mean 'cascade'?)",
        ],
    ),
    BadSpec(
        "set-null-required-ref",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      boss: {type: 'ref[User]', on_delete: set_null}\n",
        },
        [
            "a.yaml:4:44: on_delete set_null needs an optional ref: make User.boss 'ref[User]?'",
        ],
    ),
    BadSpec(
        "field-missing-type",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: {unique: true}\n",
        },
        [
            "a.yaml:4:10: field User.a has no 'type'",
        ],
    ),
    BadSpec(
        "field-not-string-or-mapping",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: 12\n",
        },
        [
            "a.yaml:4:10: field User.a must be a type string or a mapping, found an integer",
        ],
    ),
    BadSpec(
        "flag-not-bool",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: {type: int, unique: 'yes'}\n",
        },
        [
            "a.yaml:4:30: 'unique' of User.a must be true or false, found a string",
        ],
    ),
    BadSpec(
        "empty-file",
        {
            "a.yaml": "",
        },
        [
            "a.yaml:1:1: the file is empty (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "comment-only-file",
        {
            "a.yaml": "# nothing here\n",
        },
        [
            "a.yaml:1:1: the file is empty (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "not-a-mapping",
        {
            "a.yaml": "- a\n- b\n",
        },
        [
            "a.yaml:1:1: a spec file must be a mapping, found a list (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "scalar-file",
        {
            "a.yaml": "hello\n",
        },
        [
            "a.yaml:1:1: a spec file must be a mapping, found a string (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "invalid-yaml",
        {
            "a.yaml": "models: [\n",
        },
        [
            "a.yaml:2:1: invalid YAML: did not find expected node content (while parsing a flow node)",
        ],
    ),
    BadSpec(
        "invalid-yaml-tab-after-spaces",
        {
            "a.yaml": "models:\n  User:\n  \t fields: {a: int}\n",
        },
        [
            "a.yaml:3:3: invalid YAML: found character that cannot start any token (while scanning for the next token) (YAML does not allow tabs for indentation: indent with spaces)",
        ],
    ),
    BadSpec(
        "invalid-yaml-tab",
        {
            "a.yaml": "models:\n\tUser: {}\n",
        },
        [
            "a.yaml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token) (YAML does not allow tabs for indentation: indent with spaces)",
        ],
    ),
    BadSpec(
        "invalid-json",
        {
            "a.json": '{"models": {"User": {"fields": {"a": "int",}}}}',
        },
        [
            "a.json:1:44: invalid JSON: Expecting property name enclosed in double quotes",
        ],
    ),
    BadSpec(
        "empty-json",
        {
            "a.json": "  \n",
        },
        [
            "a.json:1:1: the file is empty (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "json-not-object",
        {
            "a.json": "[1, 2]",
        },
        [
            "a.json:1:1: a spec file must be a mapping, found a list (a spec file is a mapping with the keys farmgen, enums, embedded and models)",
        ],
    ),
    BadSpec(
        "yaml-unknown-tag",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: !!python/name:os.system int\n",
        },
        [
            "a.yaml:4:10: unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'",
        ],
    ),
    BadSpec(
        "unknown-version",
        {
            "a.yaml": "farmgen: 2\nmodels: {}\n",
        },
        [
            "a.yaml:1:10: unsupported spec format version 2 (this farmgen reads version 1)",
        ],
    ),
    BadSpec(
        "section-not-mapping",
        {
            "a.yaml": "models: [User]\n",
        },
        [
            "a.yaml:1:9: 'models' must be a mapping, found a list",
        ],
    ),
    BadSpec(
        "renamed-from-invalid",
        {
            "a.yaml": "models:\n  User:\n    renamed_from: old-user\n    fields: {a: int}\n",
        },
        [
            "a.yaml:3:19: renamed_from 'old-user' of User is not a valid identifier",
        ],
    ),
    BadSpec(
        "many-errors-at-once",
        {
            "a.yaml": "models:\n  User:\n    fields:\n      a: strng\n      b: {type: int, uniqe: true}\n",
            "b.yaml": "enums:\n  E: []\n",
        },
        [
            "a.yaml:4:10: unknown type 'strng' for User.a (did you mean 'string'?)",
            "a.yaml:5:22: unknown key 'uniqe' in field User.b (did you mean 'unique'?)",
            "b.yaml:2:6: enum E has no values",
        ],
    ),
    BadSpec(
        "field-names-equal-after-nfkc",
        {"a.yaml": "models:\n  A:\n    fields:\n      \ufb01eld: int\n      field: int\n"},
        ["a.yaml:5:7: fields A.\ufb01eld and A.field both become the Python attribute 'field'"],
    ),
    BadSpec(
        "type-names-equal-after-nfkc",
        {"a.yaml": "models:\n  \u210cx: {fields: {a: int}}\n  Hx: {fields: {a: int}}\n"},
        [
            "a.yaml:3:3: model 'Hx' and model '\u210cx' (at a.yaml:2:3) both become 'hx' "
            "in generated code"
        ],
    ),
    BadSpec(
        "association-table-clash",
        {
            "a.yaml": "models:\n  Tag: {fields: {n: int}}\n  PostTag:\n    collection: posts_tags\n"
            "    fields: {n: int}\n  Post:\n    fields:\n      tags: list[ref[Tag]]\n"
        },
        [
            "a.yaml:8:7: many-to-many Post.tags needs the SQL table 'posts_tags', which is "
            "already the collection of PostTag"
        ],
    ),
    BadSpec(
        "foreign-key-column-clash",
        {
            "a.yaml": "models:\n  Post:\n    fields:\n      author: ref[Post]?\n      author_id: string\n"
        },
        [
            "a.yaml:4:7: Post.author is stored in SQL as the column 'author_id', which is also "
            "a field of Post"
        ],
    ),
    BadSpec(
        "non-finite-bound",
        {"a.yaml": "models:\n  A:\n    fields:\n      n: {type: float, max: .nan}\n"},
        ["a.yaml:4:29: 'max' of A.n must be a finite number, found nan"],
    ),
    BadSpec(
        "yaml-bad-tagged-value",
        {"a.yaml": "models:\n  A:\n    fields:\n      n: {type: int, default: !!int ten}\n"},
        [
            "a.yaml:4:31: 'ten' is not a valid !!int value",
            "a.yaml:4:31: default for A.n must be an integer, found 'ten'",
        ],
    ),
    BadSpec(
        "yaml-recursive-alias",
        {"a.yaml": "models:\n  A:\n    fields: &f\n      n: *f\n"},
        [
            "a.yaml:3:13: a YAML alias refers to a node containing it",
            "a.yaml:3:13: field A.n must be a type string or a mapping, found null",
        ],
    ),
    BadSpec(
        "default-time-read-as-number",
        {"a.yaml": "models:\n  A:\n    fields:\n      t: {type: time, default: 12:30:00}\n"},
        ["a.yaml:4:32: default for A.t must be an ISO 8601 time, found 45000 (YAML reads 12:30:00 as an integer: quote it, '12:30:00')"],
    ),
    BadSpec(
        "default-string-read-as-bool",
        {"a.yaml": "models:\n  A:\n    fields:\n      answer: {type: string, default: no}\n"},
        ["a.yaml:4:39: default for A.answer must be a string, found false (YAML reads no as a boolean: quote it, 'no')"],
    ),
    BadSpec(
        "list-written-as-yaml-list",
        {"a.yaml": "models:\n  A:\n    fields:\n      tags: [string]\n      more: {type: [int]}\n"},
        [
            'a.yaml:4:13: field A.tags must be a type string or a mapping, found a list (a list type is written "list[string]")',
            'a.yaml:5:20: the type of A.more must be a string, found a list (a list type is written "list[int]")',
        ],
    ),
    BadSpec(
        "unknown-type-close-to-a-model",
        {"a.yaml": "models:\n  Author:\n    fields: {n: int}\n  Post:\n    fields:\n      by: Autor\n"},
        ["a.yaml:6:11: unknown type 'Autor' for Post.by (did you mean 'ref[Author]'?)"],
    ),
    BadSpec(
        "quoted-type-errors-point-at-the-value",
        {
            "a.yaml": 'models:\n  A:\n    fields:\n      x: {type: "list[strng]"}\n',
            "b.json": '{"models": {"B": {"fields": {"y": "list[intt]"}}}}',
        },
        [
            "a.yaml:4:17: unknown type 'strng' for A.x (did you mean 'string'?)",
            "b.json:1:35: unknown type 'intt' for B.y (did you mean 'int'?)",
        ],
    ),
    BadSpec(
        "field-name-self",
        {"a.yaml": "models:\n  A:\n    fields:\n      self: string\n"},
        ["a.yaml:4:7: field name 'self' is reserved: a Beanie document's constructor takes it as a parameter (A)"],
    ),
]


def test_the_table_is_large_and_ids_are_unique() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_spec(case: BadSpec, tmp_path: Path) -> None:
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_schema(sorted(tmp_path / name for name in case.files), tmp_path)
    assert info.value.lines() == case.expected
    assert info.value.exit_code == 1
