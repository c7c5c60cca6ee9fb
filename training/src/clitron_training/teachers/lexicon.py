"""Word lists and phrase tables for the offline teacher (`offline.py`).

Phrase lists are written as one string with `|` between alternatives. In templates `{v}` is the
value (several values joined with "and"), `{a}`/`{b}` its two halves for values like `8080:80` or
`KEY=value`, and `{O}` in verb templates the object phrase (appended when absent).
"""

from __future__ import annotations


def alts(text: str) -> list[str]:
    return [t.strip() for t in text.split("|")]


# --- commands -----------------------------------------------------------------------------
# verb name -> (kind, templates). Kinds pick sentence frames: list, search, view, create, act, delete.
VERBS: dict[str, tuple[str, str]] = {
    "list": ("list", "show|list|show me|display|get|see|give me|pull up|fetch|print|find"),
    "view": ("view", "show|view|open|look at|see details of|show me|display|pull up|check|read|get the details of"),
    "show": ("view", "show|view|display|show me|look at|print"),
    "get": ("view", "get|show|read|print|look up|fetch"),
    "inspect": ("view", "inspect|show details of|get info about|describe|show the config of|dump info on"),
    "status": ("view", "show the status of|check the status of|get the status of|check on|show status for"),
    "diff": ("view", "show the diff of|diff|show the changes in|see what changed in|show the diff for"),
    "checks": ("view", "show the checks for|check CI on|show CI status for|see the checks on"),
    "logs": ("view", "show the logs of|get the logs for|show logs for|check the logs of|see the output of|"
                     "print the logs of|view the logs of|grab the logs from"),
    "top": ("view", "show the processes in|list processes running in|see what's running inside"),
    "stats": ("view", "show stats for|show resource usage of|check cpu and memory usage of|get usage stats for"),
    "port": ("view", "show the port mappings of|list the ports of|show ports for"),
    "history": ("view", "show the history of|list the layers of|show the layer history of"),
    "browse": ("view", "open|browse|open up|pull up"),
    "search": ("search", "search|search for|look for|find|hunt for"),
    "create": ("create", "create|make|set up"),
    "new": ("create", "create|make|add|start"),
    "add": ("create", "add|create|set up|register"),
    "init": ("create", "init|initialize|set up|bootstrap"),
    "build": ("create", "build|make|build me|cook up"),
    "fork": ("act", "fork|make a fork of|create a fork of"),
    "run": ("act", "run|launch|spin up|fire up|start"),
    "delete": ("delete", "delete|remove|get rid of|nuke|rm|drop|trash|destroy|wipe"),
    "remove": ("delete", "remove|delete|get rid of|nuke|drop|trash"),
    "prune": ("delete", "prune|clean up unused|remove unused|delete unused|get rid of unused|clear out unused"),
    "close": ("act", "close|shut|close out|mark {O} closed"),
    "reopen": ("act", "reopen|re-open|open {O} back up|open {O} again"),
    "merge": ("act", "merge|land|merge in|ship"),
    "checkout": ("act", "check out|checkout|switch to|check out {O} locally|pull down {O} locally"),
    "clone": ("act", "clone|get a local copy of|clone down|download a copy of"),
    "start": ("act", "start|start up|boot|spin up|fire up|bring up|launch"),
    "stop": ("act", "stop|halt|shut down|bring down|turn off"),
    "restart": ("act", "restart|reboot|bounce|cycle|kick"),
    "kill": ("act", "kill|force stop|terminate|hard stop"),
    "pause": ("act", "pause|freeze|suspend"),
    "unpause": ("act", "unpause|resume|unfreeze"),
    "pull": ("act", "pull|download|fetch|grab|pull down"),
    "push": ("act", "push|upload|publish|push up"),
    "download": ("act", "download|grab|fetch|pull down|get"),
    "upload": ("act", "upload|attach|add|put"),
    "edit": ("act", "edit|update|change|modify|tweak"),
    "update": ("act", "update|change|modify|edit"),
    "rename": ("act", "rename|change the name of"),
    "watch": ("act", "watch|keep an eye on|monitor|track"),
    "login": ("act", "log in to|sign in to|authenticate with|log me in to|login to"),
    "logout": ("act", "log out of|sign out of|logout of|log me out of"),
    "comment": ("act", "comment on|add a comment to|leave a comment on|post a comment on|reply on"),
    "review": ("act", "review|leave a review on|submit a review for"),
    "ready": ("act", "mark {O} as ready|mark {O} ready for review|undraft|mark {O} as ready for review"),
    "lock": ("act", "lock|lock down|lock the conversation on"),
    "unlock": ("act", "unlock|unlock the conversation on"),
    "pin": ("act", "pin|pin {O} to the top"),
    "unpin": ("act", "unpin"),
    "transfer": ("act", "transfer|move"),
    "archive": ("act", "archive|put away"),
    "unarchive": ("act", "unarchive|restore"),
    "sync": ("act", "sync|synchronize|bring {O} up to date"),
    "set": ("act", "set|store|save|configure|put"),
    "enable": ("act", "enable|turn on|activate|switch on"),
    "disable": ("act", "disable|turn off|deactivate|switch off"),
    "cancel": ("act", "cancel|abort|kill"),
    "rerun": ("act", "rerun|re-run|retry|run {O} again|kick off {O} again"),
    "exec": ("act", "exec into|run a command in|execute a command in|exec in"),
    "attach": ("act", "attach to|connect to|hook into"),
    "connect": ("act", "connect|attach|hook up|plug"),
    "disconnect": ("act", "disconnect|detach|unhook|unplug"),
    "tag": ("act", "tag|add a tag to|retag"),
    "cp": ("act", "copy|cp"),
    "copy": ("act", "copy|duplicate"),
    "mv": ("act", "move|mv"),
    "move": ("act", "move|relocate"),
    "save": ("act", "save|export|dump"),
    "load": ("act", "load|import"),
    "export": ("act", "export|dump|save"),
    "import": ("act", "import|load"),
    "commit": ("act", "commit|snapshot|save the state of"),
    "wait": ("act", "wait for|block until {O} stops|wait on"),
    "up": ("act", "bring up|start|spin up|launch|start up|fire up"),
    "down": ("act", "bring down|tear down|shut down|stop and remove|take down"),
    "ps": ("list", "list|show|see|show me|display"),
    "approve": ("act", "approve|sign off on|give the ok to"),
    "install": ("act", "install|add|set up"),
    "upgrade": ("act", "upgrade|update|bump"),
    "uninstall": ("delete", "uninstall|remove|get rid of"),
    "refresh": ("act", "refresh|renew|update"),
    "develop": ("act", "start working on|create a branch for|develop"),
}

VERB_ALIASES = {
    "ls": "list", "rm": "delete", "del": "delete", "rmi": "delete", "destroy": "delete",
    "describe": "inspect", "re-run": "rerun", "sign-in": "login", "sign-out": "logout", "log-in": "login",
    "log-out": "logout", "co": "checkout", "mk": "create", "modify": "edit", "trigger": "run", "dispatch": "run",
    "execute": "exec", "open": "view", "display": "show", "read": "view", "query": "search", "find": "search",
}

# (verb, noun) -> extra templates for that pair only.
VERB_NOUN = {
    ("create", "issue"): "file|report|open|raise",
    ("create", "pr"): "open|submit|raise|put up",
    ("create", "release"): "cut|publish|ship",
    ("create", "gist"): "share|post",
    ("create", "repo"): "start|spin up",
    ("create", "label"): "add", ("create", "secret"): "add", ("create", "variable"): "add", ("create", "key"): "add",
    ("create", "ssh-key"): "add", ("create", "gpg-key"): "add", ("create", "deploy-key"): "add",
    ("create", "alias"): "add", ("create", "network"): "add", ("create", "volume"): "add|provision",
    ("run", "workflow"): "trigger|kick off|dispatch",
    ("view", "repo"): "browse",
    ("delete", "image"): "untag",
    ("close", "issue"): "resolve",
}

# (verb, noun) -> the only templates for that pair; such a command takes no object phrase.
VERB_NOUN_ONLY = {("prune", "system"): "clean up {cli}|prune the system|free up disk space|clean up unused data|"
                                       "remove unused data|do a system prune|reclaim disk space"}

# Verbs whose object may be a value said alone: "run nginx", "build ./app".
OBJ_VERBS = {"run", "start", "exec", "pull", "push", "build"}

# (verb, noun) -> kind, where it differs from the verb's.
VERB_KIND = {("run", "container"): "create", ("run", "service"): "create"}

# Verbs that just show a thing (questions like "what's in pr 12?" fit them).
PLAIN_VIEW = {"view", "show", "get", "inspect", "browse"}

# Verbs whose object is always plural, and whose templates cannot take a pronoun ("remove unused it")
PLURAL_VERBS = {"prune"}

# Last words of compound arg names that decide their concept (--init-timeout, --stop-signal).
TOKEN_CONCEPTS = {"timeout": "seconds", "signal": "signal", "limit": "limit", "repo": "repo", "branch": "branch",
                  "title": "title", "body": "body", "label": "label", "labels": "label", "format": "format",
                  "since": "since", "until": "until", "message": "message", "description": "description",
                  "platform": "platform", "dir": "dir", "directory": "dir", "query": "query", "milestone": "milestone",
                  "sha": "sha", "url": "url", "email": "email", "password": "password", "username": "username"}

# Command names that are things, not actions: "version" -> "show the version".
NOUN_COMMANDS = {"version", "info", "status", "config", "stats", "events", "help", "whoami", "usage", "system", "df"}

# --- things -------------------------------------------------------------------------------
# noun key -> "singular/plural|..." (repeats weight a form). A form starting with "the " or "!"
# (a proper name, the ! is dropped) takes no determiner; "{service}" is the CLI's product name.
NOUNS: dict[str, str] = {
    "pr": "pull request/pull requests|PR/PRs|pr/prs|PR/PRs|pull request/pull requests|pr/prs",
    "issue": "issue/issues|issue/issues|ticket/tickets",
    "repo": "repo/repos|repository/repositories|repo/repos",
    "release": "release/releases",
    "run": "workflow run/workflow runs|run/runs|CI run/CI runs|action run/action runs|workflow run/workflow runs",
    "workflow": "workflow/workflows|action workflow/action workflows|actions workflow/actions workflows",
    "gist": "gist/gists|snippet/snippets|gist/gists",
    "label": "label/labels|issue label/issue labels",
    "secret": "secret/secrets",
    "variable": "variable/variables|var/vars|variable/variables",
    "codespace": "codespace/codespaces|dev environment/dev environments",
    "cache": "cache/caches|actions cache/actions caches",
    "extension": "extension/extensions|plugin/plugins",
    "alias": "alias/aliases|shortcut/shortcuts",
    "org": "organization/organizations|org/orgs",
    "project": "project/projects|project board/project boards",
    "ruleset": "ruleset/rulesets|rule set/rule sets",
    "ssh-key": "SSH key/SSH keys|ssh key/ssh keys|key/keys",
    "gpg-key": "GPG key/GPG keys|gpg key/gpg keys",
    "deploy-key": "deploy key/deploy keys",
    "key": "key/keys",
    "branch": "branch/branches",
    "commit": "commit/commits",
    "code": "code/code|source code/source code|code/code",
    "comment": "comment/comments",
    "notification": "notification/notifications",
    "auth": "/|!{service}/{service}|!{service}/{service}",
    "container": "container/containers|container/containers|{cli} container/{cli} containers",
    "image": "image/images|image/images|{cli} image/{cli} images",
    "volume": "volume/volumes|volume/volumes|data volume/data volumes",
    "network": "network/networks|network/networks|{cli} network/{cli} networks",
    "service": "service/services",
    "compose": "the stack/the stack|the compose stack/the compose stack|the compose project/the compose project|"
               "!compose services/compose services|the services/the services|"
               "everything in compose/everything in compose|"
               "the compose services/the compose services",
    "context": "context/contexts|{cli} context/{cli} contexts",
    "node": "node/nodes|swarm node/swarm nodes",
    "plugin": "plugin/plugins",
    "registry": "registry/registries|!Docker Hub/Docker Hub",
    "builder": "builder/builders|build cache/build caches",
    "stack": "stack/stacks",
    "task": "task/tasks",
    "job": "job/jobs",
    "file": "file/files",
    "user": "user/users",
    "team": "team/teams",
    "package": "package/packages",
    "environment": "environment/environments|env/envs",
    "deployment": "deployment/deployments",
    "version": "version/versions",
    "df": "disk usage/disk usage|space usage/space usage|disk space used/disk space used",
    "info": "system info/system info|system-wide info/system-wide info|info/info",
}

NOUN_ALIASES = {
    "pull-request": "pr", "pull-requests": "pr", "pulls": "pr", "pull": "pr", "prs": "pr",
    "repository": "repo", "repositories": "repo", "repos": "repo", "issues": "issue", "releases": "release",
    "runs": "run", "workflows": "workflow", "gists": "gist", "labels": "label", "secrets": "secret",
    "variables": "variable", "var": "variable", "vars": "variable", "codespaces": "codespace", "caches": "cache",
    "extensions": "extension", "ext": "extension", "aliases": "alias", "organization": "org", "orgs": "org",
    "projects": "project", "rulesets": "ruleset", "ssh_key": "ssh-key", "gpg_key": "gpg-key",
    "containers": "container", "images": "image", "volumes": "volume", "networks": "network",
    "services": "service", "contexts": "context", "nodes": "node", "plugins": "plugin", "branches": "branch",
    "commits": "commit", "comments": "comment", "notifications": "notification", "keys": "key",
    "teams": "team", "users": "user", "packages": "package", "files": "file", "jobs": "job", "tasks": "task",
    "environments": "environment", "deployments": "deployment", "registries": "registry", "stacks": "stack",
    "builders": "builder", "buildx": "builder",
}

# Words in descriptions that name things (for commands outside any group): "Run ... in a new container".
DESCRIPTION_NOUNS = {
    "container": "container", "containers": "container", "image": "image", "images": "image",
    "repository": "repo", "repositories": "repo", "registry": "registry", "volume": "volume",
    "volumes": "volume", "network": "network", "networks": "network", "gist": "gist", "issue": "issue",
    "issues": "issue", "release": "release", "workflow": "workflow", "extension": "extension",
}

# A list of things that, absent its "all" flag or state option, shows only these: "what containers are
# running?", "my open prs" (gh's --state defaults to open).
DEFAULT_STATE = {"container": "running|running|up|active", "pr": "open", "issue": "open|open|unresolved"}

# An option left out means its default, and people often say that default: "the pr for this
# branch" (no positional), "logs for every service", "list my repos" (no owner). Taught so that
# such words are not read as a value. Words in an option's description -> (slot, phrases).
IMPLIED_DEFAULTS = {
    "current branch": ("post", "for this branch|for the current branch|for my current branch|on this branch|"
                               "from this branch|for the checked-out branch|from my branch"),
    "current repository": ("post", "in this repo|in the current repo|here|for this repo|in this repository|"
                                   "for the repo I'm in|in the current repository"),
    "all services": ("post", "for all services|for every service|for the whole stack|across all services"),
    "latest release": ("pre", "latest|newest|most recent"),
    "authenticated user": ("poss", "my|my own"),
    "docker hub": ("post", "on docker hub|to docker hub|with docker hub"),
}
IMPLIED_DEFAULTS["another repository"] = IMPLIED_DEFAULTS["local repository"] = IMPLIED_DEFAULTS["current repository"]

# --- values -------------------------------------------------------------------------------
POOLS: dict[str, str] = {
    "user": "octocat|monalisa|hubot|defunkt|mojombo|jdoe|alice|bob|sarah-dev|kentcdodds|gaearon|sindresorhus|"
            "dave-ops|mkumar|lena-w|tpope",
    "branch": "main|develop|feature/login|fix/typo|release/2.0|feat/dark-mode|hotfix/crash|staging|dev|"
              "bugfix/timeout|docs/readme|refactor/auth|feature/search|chore/deps",
    "repo": "cli/cli|octocat/hello-world|facebook/react|vercel/next.js|torvalds/linux|rust-lang/rust|"
            "microsoft/vscode|kubernetes/kubernetes|my-org/api|acme/website|golang/go|python/cpython|acme/infra",
    "tag": "v1.2.3|v2.0.0|v0.9.1|v3.1.0-rc.1|v1.0.0|v2.5.1|v0.3.0|v4.0.0-beta.2|v1.10.0",
    "label": "bug|enhancement|documentation|help wanted|good first issue|question|security|performance|ui|"
             "p1|needs-triage|wontfix|dependencies|regression",
    "milestone": "v2.0|Q3 release|Sprint 12|1.0|Beta|v3.1",
    "project": "Roadmap|Backlog|Q4 Planning|Bug Triage",
    "image": "nginx|nginx:1.25|redis|redis:7-alpine|postgres:16|ubuntu:22.04|alpine|node:20-alpine|"
             "python:3.12-slim|mysql:8|busybox|httpd|mongo:7|myapp:latest|ghcr.io/acme/api:v1.2|golang:1.22",
    "container": "web|db|api|redis-cache|worker|nginx-proxy|my-app|postgres|frontend|backend|cache|queue|"
                 "test-runner|app1|jenkins|grafana",
    "service": "web|db|api|worker|redis|frontend|backend|proxy|scheduler",
    "network": "my-net|backend|frontend-net|app-network|my-network|internal|proxy-net",
    "volume": "pgdata|app-data|cache-vol|mysql-data|logs|uploads|shared-data",
    "mount": "./data:/data|pgdata:/var/lib/postgresql/data|~/code:/src|/tmp/cache:/cache|"
             "./config:/etc/nginx/conf.d|app-data:/app/data|./logs:/var/log/app",
    "publish": "8080:80|3000:3000|5432:5432|443:443|8000:8000|6379:6379|9090:9090|8443:443|5000:5000",
    "port": "80|443|3000|5432|8080|8000|6379|9000",
    "env": "NODE_ENV=production|DEBUG=1|PORT=3000|LOG_LEVEL=debug|POSTGRES_PASSWORD=secret|RAILS_ENV=development|"
           "TZ=UTC|API_URL=http://api:8080|APP_ENV=staging",
    "kv": "env=prod|tier=backend|team=payments|version=2|owner=ops",
    "filter": "status=exited|name=web|label=env=prod|status=running|ancestor=nginx|dangling=true",
    "path": "./data|/tmp/out|~/Downloads|src/main.py|README.md|.env|notes.txt|./build|config/settings.yaml|"
            "./dist/app.tar.gz|/var/log/app.log|docs/guide.md",
    "file": "notes.md|body.md|CHANGELOG.md|release-notes.md|./docs/intro.md|message.txt",
    "dockerfile": "Dockerfile|Dockerfile.dev|./docker/Dockerfile.prod|build/Dockerfile",
    "composefile": "docker-compose.yml|compose.prod.yml|docker-compose.dev.yml|./deploy/compose.yaml",
    "dir": ".|./app|./backend|~/projects/site|/srv/app|./out|~/Downloads",
    "envfile": ".env|.env.local|config/prod.env|./secrets.env",
    "duration": "10s|30s|5m|10m|1h|2h|24h|90s|15m",
    "since": "10m|1h|2h|24h|30m|2024-01-15|2024-06-01T10:00:00",
    "sha": "a1b2c3d|3f9e2c1|9fceb02|e83c516|4b825dc|7d1f2e9|c0ffee1",
    "workflow": "ci.yml|build.yml|release.yml|deploy.yml|test.yml|lint.yml|nightly.yml",
    "query": "memory leak|login bug|flaky test|dark mode|timeout error|deprecation warning|crash on startup|"
             "rate limit|typescript|oauth",
    "title": "Fix login redirect|Add dark mode|Update README|Bump dependencies|Crash on startup|"
             "Improve error messages|Refactor auth module|Fix typo in docs|Add retry logic to uploader|"
             "Support ARM builds|Remove deprecated flags|Speed up CI|Handle empty config file|"
             "Button misaligned on mobile",
    "body": "This fixes the crash when the config file is missing|Steps to reproduce are in the linked thread|"
            "Please review when you get a chance|Closes #42|Adds tests for the new parser|Looks good to me|"
            "Works on my machine now|Needs a second pair of eyes|Happens every time I log out|Ready for another look",
    "message": "initial commit|fix build|wip|update deps|snapshot after setup|add healthcheck",
    "note": "Bug fixes and performance improvements|First stable release|Adds ARM64 binaries|Security patch",
    "name": "my-app|web|demo|sandbox|acme-site|backup|staging|tools|playground|notes",
    "secret": "API_TOKEN|NPM_TOKEN|AWS_SECRET_ACCESS_KEY|DEPLOY_KEY|SLACK_WEBHOOK|DOCKERHUB_TOKEN",
    "secret-value": "s3cr3t|hunter2|abc123xyz|tok_9f8e7d",
    "url": "https://example.com|https://github.com/cli/cli|https://api.example.com/v1|http://localhost:3000|"
           "https://acme.dev",
    "email": "jane@example.com|dev@acme.io|ops@example.org",
    "host": "web01|api-server|devbox|build-host",
    "platform": "linux/amd64|linux/arm64|linux/arm/v7",
    "runas": "root|node|www-data|1000|postgres",
    "memory": "512m|1g|2g|256m|4g",
    "signal": "SIGKILL|SIGTERM|SIGHUP|SIGINT|SIGUSR1",
    "restart": "always|unless-stopped|on-failure|no",
    "command": "bash|sh|echo hello|python app.py|ls -la|npm test|sleep 60|env|cat /etc/hosts|top",
    "color": "ff0000|0e8a16|1d76db|fbca04|d73a4a|a2eeef",
    "description": "Backend API service|Personal dotfiles|Experiments with Rust|Internal tools|Team wiki|"
                   "Scripts for the build server",
    "gist": "a1b2c3d4e5f6a7b8c9d0|5f3e9c2b7a1d|0b4c2e7f9a3d5e1c|9e8d7c6b5a4f",
    "language": "python|go|rust|typescript|javascript|ruby|java",
    "topic": "cli|machine-learning|devops|hacktoberfest|security",
    "pattern": "*.tar.gz|*.deb|*linux*|*.zip|checksums.txt",
    "jq": ".[].title|.[] | .number|.name|.[0].url",
    "template": "{{.title}}|{{range .}}{{.name}}{{end}}|{{.number}}",
    "json": "number,title|title,url|name,id|number,title,author|state,createdAt",
    "format": "json|table|{{.Names}}|{{.ID}}|{{json .}}",
    "event": "push|pull_request|workflow_dispatch|schedule|release",
    "word": "alpha|beta|demo|prod|dev|test|staging|example|default|primary",
    "key": "editor|git_protocol|browser|pager|prompt",
    "value": "vim|ssh|firefox|less|enabled|true",
}

# Fresh values built from parts, drawn beside the pools above and the schema's examples. With a
# few values per arg the model learns to recall them, and given a new one it cuts it short or
# swaps in one it knows; with thousands it learns to copy what the request says. Pool name ->
# templates; `{part}` is one of PARTS[part], `{Part}` the same capitalized.
PARTS = {
    "first": "alice|bob|carol|dave|erin|frank|grace|heidi|ivan|judy|nina|oscar|peggy|quinn|rupert|sybil|trent|"
             "uma|victor|wendy|yara|zoe|raj|ana|omar|kenji|sofia|mateo|priya|chen|lucas|emma|noah|maya|leo|"
             "ines|tariq|hana|jonas|marta",
    "last": "smith|nguyen|garcia|kim|patel|mueller|rossi|tanaka|silva|cohen|okafor|novak|berg|jones|lee|wang|"
            "singh|khan|ito|lopez",
    "org": "acme|initech|globex|umbrella|hooli|contoso|fabrikam|northwind|tailspin|zenith|bluebird|redwood|"
           "octo-org|devtools-inc|openlab|platform-team|sre-team|widgets-co",
    "proj": "api|web|core|auth|billing|search|infra|docs|site|blog|payments|gateway|frontend|backend|mobile|"
            "admin|dashboard|analytics|notifier|ingest|scheduler|storage|media|chat|shop|cart|inventory|"
            "reports|metrics|ledger|portal|sdk|toolkit|deployer|pipeline|website|dotfiles|homepage|monorepo|mailer",
    "topic": "login|signup|dark-mode|caching|retry|timeout|pagination|upload|export|i18n|sso|webhooks|"
             "logging|onboarding|avatar|notifications|rate-limit|oauth|csv-export|password-reset",
    "bkind": "feature|feat|fix|bugfix|hotfix|chore|docs|refactor|release|test",
    "n": "1|2|3|4|5|7|8|9|12|15|21|42|99|101|128",
    "major": "0|1|2|3|4|5|10",
    "minor": "0|1|2|3|4|5|6|7|8|9|10|11|12|15|20",
    "verb": "fix|add|update|remove|refactor|improve|support|document|speed up|clean up|rename|handle|allow|"
            "drop|migrate|simplify|cache|validate|test|revert",
    "verbs": "fixes|adds|updates|removes|refactors|improves|documents|speeds up|cleans up|simplifies",
    "thing": "the login page|login redirects|dark mode|the settings page|CSV export|file uploads|"
             "the search index|password reset|the billing flow|error messages|the README|retry logic|"
             "webhook delivery|the help text|the onboarding flow|avatar uploads|rate limiting|the API client|"
             "pagination|email notifications|the signup form|session timeouts|the nav bar|image resizing|"
             "the deploy script|unit tests|the config parser|the sidebar|invoice PDFs|the cron job",
    "when": "on mobile|in Safari|for large files|when offline|after logout|on Windows|for new users|"
            "in the dashboard|behind a proxy|on slow networks|in dark mode|for admins|on first launch|"
            "in production",
    "fault": "is broken|crashes|times out|fails silently|shows the wrong date|does not load|returns a 500|"
             "is slow|hangs|breaks the layout|throws an error|logs the user out|loses data|is missing",
    "fname": "notes|body|changelog|release-notes|summary|draft|todo|report|plan|description",
    "ext": "md|txt",
    "prio": "low|medium|high|critical",
}
COMPOSED = {
    "user": "{first}|{first}-{last}|{first}{n}|{first}{last}|{first}-dev|{first}_{last}",
    "repo": "{org}/{proj}|{first}/{proj}|{org}/{proj}-{proj}|{first}-{last}/{proj}|{org}/{topic}",
    "branch": "{bkind}/{topic}|{topic}|{first}/{topic}|{bkind}/{topic}-{n}|{bkind}/{proj}-{topic}",
    "tag": "v{major}.{minor}.{minor}|v{major}.{minor}|{major}.{minor}.{minor}|v{major}.{minor}.{minor}-rc.{n}",
    "label": "{topic}|area/{proj}|kind/{topic}|priority/{prio}|{proj}",
    "container": "{proj}|{proj}-{n}|{proj}-{proj}|{org}-{proj}|{proj}_{n}|{proj}-db|{proj}-worker",
    "service": "{proj}|{proj}-worker|{proj}-db|{proj}-{proj}",
    "name": "{proj}|{proj}-{proj}|{org}-{proj}|{proj}-{n}|{first}-{proj}",
    "network": "{proj}-net|{proj}_default|{org}-net|{proj}-network",
    "volume": "{proj}-data|{proj}_data|{proj}-vol|{proj}-cache",
    "image": "{proj}|{proj}:{major}.{minor}|{org}/{proj}|{org}/{proj}:v{major}.{minor}.{minor}|"
             "ghcr.io/{org}/{proj}:latest|{proj}:dev",
    "workflow": "{topic}.yml|{proj}.yml|{proj}-ci.yml|deploy-{proj}.yml",
    "title": "{Verb} {thing}|{Verb} {thing} {when}|{Thing} {fault}|{Thing} {fault} {when}|{thing} {fault}|"
             "{verb} {thing}",
    "body": "{Thing} {fault} {when}|{Thing} {fault} since the last release|This {verbs} {thing}|"
            "{Verb} {thing}, see the linked issue|Tested locally, {thing} works now|Can you add tests for {thing}?|"
            "{Thing} {fault}. Happens every time|Please rebase on main|LGTM|Looks good, ship it|Thanks for the fix!",
    "query": "{thing} {fault}|{topic}|{topic} bug|{proj} {topic}|{thing}",
    "message": "{verb} {thing}|wip {topic}|{topic} fixes|before {topic} upgrade",
    "note": "{Verb} {thing}|Bug fixes for {thing}|{Verb} {thing} and {thing}|First release with {topic} support",
    "description": "{Proj} for {org}|Tools for {topic}|The {proj} service|{Topic} experiments|Personal {proj} config",
    "path": "./{proj}|{proj}/{fname}.{ext}|~/{proj}/{fname}.{ext}|/tmp/{proj}|./build/{proj}.tar.gz",
    "file": "{fname}.{ext}|docs/{fname}.md|./{fname}.{ext}",
    "dir": "./{proj}|~/code/{proj}|/srv/{proj}|{proj}|./{proj}/dist",
    "word": "{proj}|{topic}",
}

# Integer pools: name -> (low, high, round numbers to prefer).
INT_POOLS = {
    "limit": (5, 100, (5, 10, 15, 20, 25, 50, 100)),
    "lines": (10, 500, (10, 20, 50, 100, 200, 500)),
    "seconds": (5, 60, (5, 10, 15, 20, 30, 45, 60)),
    "number": (1, 5000, ()),
    "port": (80, 9000, (80, 443, 3000, 5432, 8000, 8080)),
    "days": (1, 90, (1, 7, 14, 30, 60, 90)),
    "depth": (1, 50, (1, 5, 10, 20, 50)),
    "id": (1000000, 9999999999, ()),
    "small": (1, 20, (1, 2, 3, 5, 10)),
    "recent": (2, 20, (2, 3, 5, 10)),
}

# noun key -> pool of names for the positional that names such a thing
NOUN_POOLS = {"label": "label", "container": "container", "image": "image", "repo": "repo", "release": "tag",
              "workflow": "workflow", "gist": "gist", "secret": "secret", "network": "network", "volume": "volume",
              "service": "service", "branch": "branch", "pr": "number", "issue": "number", "run": "id"}

FLOAT_POOL = (0.5, 1.5, 2.5, 0.25, 0.75, 1, 2, 4)

# --- phrases for args ---------------------------------------------------------------------
TAIL = ': {v}|: {v}|: "{v}"'  # a free-text value closing the request

# concept -> slot -> templates. Slots: poss ("my"), qty ("the first 10"), pre (adjective before
# the noun), post (after it), pred (after "are"), adv (sentence level), vpre (before the verb),
# obj (the value replaces the object: "run nginx"), tail (free text after a colon that ends the
# request: "comment on pr 42: looks good"). Optional parts: "pool" (values), "me" (the
# table for "@me"), "set" (overrides where the command changes things rather than filters),
# "split" (":" or "=" for {a}/{b}), "each" (say each of several values with its own phrase).
CONCEPTS: dict[str, dict] = {
    "author": {
        "pool": "user", "me_ok": True,
        "poss": "{v}'s",
        "post": "by {v}|from {v}|that {v} wrote|authored by {v}|opened by {v}|created by {v}|written by {v}|"
                "with author {v}",
        "pred": "authored by {v}|opened by {v}|from {v}|by {v}|created by {v}",
        "me": {"poss": "my|my|my own", "post": "I opened|that I opened|authored by me|by me|that I wrote|I created|"
                                               "of mine|I made|"
                                              "that I authored|I authored",
               "pred": "mine|authored by me|opened by me|created by me|by me"},
    },
    "assignee": {
        "pool": "user", "me_ok": True,
        "post": "assigned to {v}|that {v} is assigned to|with assignee {v}|that {v} is working on|on {v}'s plate",
        "pred": "assigned to {v}",
        "me": {"post": "assigned to me|that I'm assigned to|on my plate|assigned to myself|I'm assigned to",
               "pred": "assigned to me"},
        "set": {"post": "and assign it to {v}|assigned to {v}|for {v} to handle|with assignee {v}|assigning {v}",
                "me": {"post": "and assign it to me|assigned to me|assigned to myself|and assign me|for me to handle"}},
    },
    "mention": {
        "pool": "user", "me_ok": True,
        "post": "mentioning {v}|that mention {v}|where {v} is mentioned|that ping {v}",
        "pred": "mentioning {v}",
        "me": {"post": "mentioning me|that mention me|where I'm mentioned|that ping me", "pred": "mentioning me"},
    },
    "reviewer": {
        "pool": "user",
        "post": "with review requested from {v}|waiting on {v}'s review|that {v} needs to review|"
                "awaiting review from {v}",
        "set": {"post": "and request review from {v}|with reviewer {v}|asking {v} to review|and ask {v} for a review|"
                        "with {v} as reviewer"},
    },
    "review-requested": {
        "pool": "user", "me_ok": True,
        "post": "with review requested from {v}|waiting on {v}'s review|that {v} needs to review|"
                "awaiting review from {v}",
        "pred": "waiting on {v}'s review|awaiting review from {v}",
        "me": {"post": "that need my review|waiting for my review|where my review is requested|that I need to review",
               "pred": "waiting for my review|awaiting my review"},
    },
    "reviewed-by": {
        "pool": "user", "me_ok": True, "post": "reviewed by {v}|that {v} reviewed|with a review from {v}",
        "pred": "reviewed by {v}",
        "me": {"post": "that I reviewed|reviewed by me|I reviewed|I've reviewed", "pred": "reviewed by me"},
    },
    "involves": {
        "pool": "user", "me_ok": True, "post": "involving {v}|that involve {v}|where {v} is involved",
        "pred": "involving {v}",
        "me": {"post": "involving me|that involve me|I'm involved in", "pred": "involving me"},
    },
    "commenter": {
        "pool": "user", "me_ok": True, "post": "commented on by {v}|with comments from {v}|that {v} commented on",
        "me": {"post": "I commented on|that I commented on|with comments from me"},
    },
    "owner": {
        "pool": "user",
        "poss": "{v}'s",
        "post": "owned by {v}|from {v}|for {v}|belonging to {v}|of {v}|under {v}",
        "pred": "owned by {v}|from {v}",
    },
    "user": {
        "pool": "user",
        "post": "by {v}|for user {v}|from {v}|triggered by {v}|by user {v}",
        "pred": "by {v}|triggered by {v}",
    },
    "runas": {"pool": "runas", "post": "as user {v}|as {v}|running as {v}|with user {v}"},
    "org": {"pool": "name", "post": "in org {v}|in the {v} org|for organization {v}|under {v}|in {v}"},
    "label": {
        "pool": "label",
        "pre": "{v}",
        "post": "labeled {v}|with the {v} label|tagged {v}|with label {v}|labelled {v}|marked {v}|with the label {v}",
        "pred": "labeled {v}|tagged {v}|marked {v}",
        "set": {"pre": "{v}", "post": "labeled {v}|with the {v} label|and label it {v}|tagged {v}|with label {v}"},
    },
    "kvlabel": {"pool": "kv", "post": "labeled {v}|with label {v}|with the label {v}|tagged {v}", "each": True},
    "state": {
        "pre": "{v}", "post": "that are {v}|with state {v}|in {v} state|which are {v}|that are currently {v}",
        "pred": "{v}",
        "values": {"all": {"pre": "all", "post": "with state all|in all states|across all states"}},
    },
    "status": {"post": "with status {v}|whose status is {v}|in status {v}|with a status of {v}"},
    "visibility": {"pre": "{v}", "post": "that are {v}|with visibility {v}|with {v} visibility", "pred": "{v}",
                   "set": {"pre": "{v}", "post": "as {v}|with {v} visibility|and make it {v}"}},
    "limit": {
        "pool": "limit",
        "qty": "the first {v}|first {v}|the top {v}|top {v}|{v}|up to {v}|at most {v}|just {v}|only {v}",
        "post": "limited to {v}|but only {v}|max {v}|({v} max)|up to {v} of them|no more than {v}|"
                "with a limit of {v}|limit {v}",
        "adv": "limit to {v}|just {v} of them|capped at {v}|{v} max",
    },
    "lastn": {"pool": "recent", "qty": "the last {v}|last {v}|the {v} most recent|the {v} latest",
              "post": "from the last {v} created|(last {v})|limited to the last {v}"},
    "tail": {"pool": "lines", "post": "last {v} lines|the last {v} lines|only the last {v} lines|tail {v}|"
                                      "with tail {v}",
             "adv": "showing the last {v} lines|just the last {v} lines"},
    "since": {"pool": "since", "post": "since {v}|from the last {v}|newer than {v}|from after {v}"},
    "until": {"pool": "since", "post": "until {v}|before {v}|older than {v}|up to {v}"},
    "base": {"pool": "branch", "post": "into {v}|against {v}|targeting {v}|with base {v}|based on {v}|onto {v}|"
                                       "with base branch {v}",
             "pred": "against {v}|targeting {v}|based on {v}"},
    "head": {"pool": "branch", "post": "from {v}|from branch {v}|with head {v}|from the {v} branch|coming from {v}",
             "pred": "from {v}|from branch {v}"},
    "branch": {"pool": "branch", "post": "on branch {v}|on {v}|for branch {v}|for the {v} branch|on the {v} branch|"
                                         "in branch {v}",
               "pred": "on {v}|on branch {v}"},
    "ref": {"pool": "branch", "post": "at {v}|on {v}|from ref {v}|using ref {v}|at ref {v}"},
    "target": {"pool": "branch", "post": "targeting {v}|from {v}|at {v}|off {v}|with target {v}"},
    "sha": {"pool": "sha", "post": "at commit {v}|for commit {v}|at {v}|for {v}"},
    "title": {"pool": "title", "post": 'titled "{v}"|with the title "{v}"|called "{v}"|titled {v}|with title "{v}"|'
                                       'named "{v}"|title: {v}|with the title {v}',
              "pred": 'titled "{v}"', "tail": TAIL},
    "body": {"pool": "body", "post": 'with body "{v}"|saying "{v}"|with the description "{v}"|that says "{v}"|'
                                     'with the text "{v}"|body: {v}|with the body {v}', "tail": TAIL},
    "value": {"pool": "secret-value", "post": 'with value "{v}"|set to "{v}"|set to {v}|with the value {v}|to {v}'},
    "message": {"pool": "message", "post": 'with message "{v}"|saying "{v}"|with the message "{v}"|message: {v}',
                "tail": TAIL},
    "notes": {"pool": "note", "post": 'with notes "{v}"|with release notes "{v}"|notes: {v}|with the notes {v}'},
    "description": {"pool": "description",
                    "post": 'with description "{v}"|described as "{v}"|with the description "{v}"|desc "{v}"'},
    "repo": {"pool": "repo", "post": "in {v}|for {v}|for the {v} repo|on {v}|in the {v} repository|over in {v}|"
                                     "in repo {v}|on the {v} repo",
             "pred": "in {v}"},
    "publish": {"pool": "publish", "split": ":", "each": True,
                "post": "and map port {a} to {b}|mapping port {a} to {b}|exposing {v}|publishing {v}|with port {v}|"
                        "forwarding {a} to {b}|with {a} mapped to {b}|on port {a} mapped to {b}|"
                        "publishing port {a} to {b}|with ports {v}"},
    "expose": {"pool": "port", "each": True, "post": "exposing port {v}|and expose {v}|with port {v} exposed|"
                                                     "exposing {v}"},
    "env": {"pool": "env", "split": "=", "each": True,
            "post": "with {v}|setting {a} to {b}|with env var {v}|and set env var {v}|with environment variable {v}|"
                    "with env {v}|passing {v}|with {a} set to {b}"},
    "buildarg": {"pool": "env", "split": "=", "each": True,
                 "post": "with build arg {v}|passing build arg {v}|setting build arg {a} to {b}|"
                         "with {a}={b} as a build arg"},
    "mount": {"pool": "mount", "split": ":", "each": True,
              "post": "mounting {a} at {b}|and mount {a} at {b}|with volume {v}|with {a} mounted at {b}|"
                      "mounting {a} to {b}|with a volume {v}|binding {a} to {b}|with {a} mounted on {b}"},
    "filter": {"pool": "filter", "split": "=", "each": True,
               "post": "with filter {v}|filtered by {v}|where {a} is {b}|matching {v}|filtering on {v}|where {a}={b}"},
    "scale": {"pool": "kv", "split": "=", "each": True, "post": "scaling {a} to {b}|with {a} scaled to {b}|scale {v}"},
    "naming": {"pool": "name", "post": "named {v}|called {v}|with the name {v}|with name {v}",
               "set": {"post": "named {v}|called {v}|with the name {v}|and call it {v}|and name it {v}|as {v}"}},
    "tagname": {"pool": "tag", "post": "tagged {v}|as {v}|with tag {v}|and tag it {v}|named {v}"},
    "image": {"pool": "image", "pre": "{v}", "obj": "{v}",
              "post": "from {v}|using {v}|from image {v}|with the {v} image|based on {v}|using the {v} image"},
    "container": {"pool": "container", "post": "for container {v}|with container {v}|and the {v} container|"
                                               "and container {v}"},
    "network": {"pool": "network", "post": "on network {v}|attached to {v}|in the {v} network|connected to {v}|"
                                           "using network {v}"},
    "workdir": {"pool": "dir", "post": "in directory {v}|with working dir {v}|working in {v}|with workdir {v}"},
    "entrypoint": {"pool": "command", "post": "with entrypoint {v}|overriding the entrypoint with {v}|"
                                              "using {v} as the entrypoint"},
    "hostname": {"pool": "host", "post": "with hostname {v}|as host {v}|with the hostname {v}"},
    "memory": {"pool": "memory", "post": "with {v} of memory|with {v} memory|limited to {v} of ram|"
                                         "with a {v} memory limit|memory {v}"},
    "cpus": {"post": "with {v} cpus|using {v} CPUs|limited to {v} cpus|on {v} cores"},
    "restart": {"pool": "restart", "post": "with restart policy {v}|restart {v}|set to restart {v}|"
                                           "with a {v} restart policy"},
    "envfile": {"pool": "envfile", "post": "with env file {v}|loading env from {v}|using {v} for env vars|"
                                           "with the {v} env file"},
    "platform": {"pool": "platform", "post": "for {v}|on platform {v}|targeting {v}|for platform {v}"},
    "dockerfile": {"pool": "dockerfile", "post": "using {v}|with dockerfile {v}|from {v}|with the {v} file"},
    "composefile": {"pool": "composefile", "post": "using {v}|with file {v}|from {v}|with compose file {v}"},
    "file": {"pool": "file", "post": "using {v}|with file {v}|from {v}|with {v}|reading {v}"},
    "bodyfile": {"pool": "file", "post": "with body from {v}|using {v} as the body|reading the body from {v}|"
                                         "body from file {v}"},
    "output": {"pool": "path", "post": "to {v}|into {v}|saving to {v}|output to {v}|and write it to {v}"},
    "dir": {"pool": "dir", "post": "to {v}|into {v}|in {v}|under {v}"},
    "source": {"pool": "path", "post": "from {v}|using {v} as the source|with source {v}"},
    "dest": {"pool": "path", "post": "to {v}|into {v}|with destination {v}"},
    "context": {"pool": "dir", "post": "from {v}|in {v}|using context {v}|with context {v}", "obj": "{v}"},
    "pattern": {"pool": "pattern", "post": 'matching "{v}"|matching {v}|only files matching {v}|with pattern {v}'},
    "search": {"pool": "query", "post": 'matching "{v}"|matching {v}|about "{v}"|with "{v}" in them|that match "{v}"|'
                                        'searching for "{v}"|containing "{v}"', "pred": 'about "{v}"|about {v}'},
    "query": {"pool": "query", "post": 'for "{v}"|for {v}|about {v}|matching "{v}"|with the query "{v}"'},
    "milestone": {"pool": "milestone", "post": 'in milestone "{v}"|for the "{v}" milestone|with milestone {v}|'
                                               'under milestone {v}|in the {v} milestone', "pred": "in milestone {v}"},
    "project": {"pool": "project",
                "post": 'in project "{v}"|added to the "{v}" project|in the {v} project|on the {v} board'},
    "workflow": {"pool": "workflow", "post": "for workflow {v}|for the {v} workflow|from {v}|of workflow {v}|"
                                             "from the {v} workflow",
                 "pred": "from {v}|from workflow {v}"},
    "event": {"pool": "event", "post": "triggered by {v}|from {v} events|for {v} events|with event {v}"},
    "language": {"pool": "language", "pre": "{v}", "post": "in {v}|written in {v}|with language {v}",
                 "pred": "in {v}|written in {v}"},
    "topic": {"pool": "topic", "post": "tagged {v}|with topic {v}|about {v}", "pred": "about {v}"},
    "sort": {"post": "sorted by {v}|sort by {v}|ordered by {v}|and sort them by {v}"},
    "order": {"post": "in {v} order|ordered {v}|sorted {v}|with {v} ordering"},
    "format": {"pool": "format", "adv": "as {v}|in {v} format|formatted as {v}|with {v} output|output as {v}"},
    "template": {"pool": "template", "adv": 'using template "{v}"|with template {v}|formatted with "{v}"'},
    "jq": {"pool": "jq",
           "adv": 'filtered with jq "{v}"|with jq {v}|piping through jq {v}|using the jq expression "{v}"'},
    "json": {"pool": "json", "adv": "as json with fields {v}|with json fields {v}|as json including {v}|"
                                    "outputting {v} as json"},
    "signal": {"pool": "signal", "post": "with signal {v}|sending {v}|using {v}|with {v}"},
    "seconds": {"pool": "seconds", "post": "after {v} seconds|with a {v} second timeout|waiting {v} seconds|"
                                           "with a timeout of {v}|timeout {v}"},
    "color": {"pool": "color", "post": "colored {v}|with color {v}|in color {v}|with the color {v}"},
    "url": {"pool": "url", "post": "with url {v}|at {v}|pointing to {v}|with homepage {v}"},
    "email": {"pool": "email", "post": "with email {v}|using email {v}|with the email {v}"},
    "command": {"pool": "command", "words": True, "post": "and run {v}|running {v}|with command {v}|to run {v}|"
                                                          "then run {v}|executing {v}"},
    "secret": {"pool": "secret", "post": "for secret {v}|named {v}|called {v}"},
    "day": {"pool": "days", "post": "from the last {v} days|for {v} days|within {v} days"},
    "port": {"pool": "port", "post": "on port {v}|at port {v}|using port {v}|port {v}"},
    "key": {"pool": "key", "post": "for key {v}|for {v}|with key {v}"},
    "value-of": {"pool": "value", "post": "to {v}|set to {v}|with value {v}"},
    "username": {"pool": "user", "post": "as {v}|with username {v}|as user {v}"},
    "password": {"pool": "secret-value", "post": "with password {v}|using password {v}"},
    "registry": {"pool": "host", "post": "to {v}|on {v}|at registry {v}"},
}

# Generic phrasing for args no concept knows; {w} is the arg's name in words.
GENERIC_ARG = {False: "with {w} {v}|{w} {v}|where {w} is {v}|with {w} set to {v}|{w}: {v}|whose {w} is {v}|"
                      "with {w} of {v}",
               True: "with {w} {v}|{w} {v}|setting {w} to {v}|with {w} set to {v}|using {w} {v}|{w}: {v}|"
                     "with {w} as {v}"}
FILTER_BY = "filtered by {d} {v}|filter by {d} {v}|with {d} {v}"
BOOL_ARG = {True: "with {w} on|with {w} enabled|with {w} turned on|with {w} set to true|{w}: true",
            False: "with {w} off|with {w} disabled|with {w} set to false|with {w} turned off|{w}: false"}
BOOL_SWITCH = {True: "with {x} enabled|enabling {x}|and turn on {x}|with {x} turned on",
               False: "with {x} disabled|disabling {x}|and turn off {x}|with {x} turned off"}
# args that add to or take from a list on an existing thing: name -> (phrases, phrases for "@me")
ADD_REMOVE = {
    "add-label": ("and add the {v} label|adding label {v}|and label it {v}|with the {v} label added|"
                  "plus the {v} label", ""),
    "remove-label": ("and remove the {v} label|removing label {v}|dropping the {v} label|"
                     "and take off the {v} label", ""),
    "add-assignee": ("and assign {v}|assigning {v}|and add {v} as assignee|and assign it to {v}",
                     "and assign it to me|assigning myself|and add me as assignee|and assign me"),
    "remove-assignee": ("and unassign {v}|removing {v} as assignee|and take {v} off it|unassigning {v}",
                        "and unassign me|removing me as assignee|and unassign myself|and take me off it"),
    "add-reviewer": ("and request review from {v}|adding {v} as reviewer|and ask {v} to review", ""),
    "remove-reviewer": ("and remove {v} as reviewer|dropping {v} from the reviewers|removing reviewer {v}", ""),
    "add-project": ('and add it to the "{v}" project|adding it to project {v}|and put it on the {v} board', ""),
    "remove-project": ('and remove it from the "{v}" project|taking it off project {v}|'
                       'and drop it from the {v} board', ""),
    "add": ("adding {v}|and add {v}|with {v} added|plus {v}", ""),
    "remove": ("removing {v}|and remove {v}|dropping {v}|without {v}", ""),
}
ADD_ARG = "adding {w} {v}|and add {w} {v}|with {w} {v} added|plus {w} {v}"
REMOVE_ARG = "removing {w} {v}|and remove {w} {v}|dropping {w} {v}|and take off {w} {v}"

# arg name (or a word of it) -> concept.
ARG_CONCEPTS = {
    "author": "author", "creator": "author", "assignee": "assignee", "assignees": "assignee", "mention": "mention",
    "reviewer": "reviewer", "reviewers": "reviewer", "review-requested": "review-requested", "involves": "involves",
    "reviewed-by": "reviewed-by",
    "commenter": "commenter", "mentions": "mention", "owner": "owner", "org": "org", "organization": "org",
    "label": "label", "labels": "label", "state": "state", "visibility": "visibility", "status": "status",
    "limit": "limit", "max": "limit", "max-items": "limit", "first": "limit", "count": "limit", "last": "lastn",
    "tail": "tail", "lines": "tail", "since": "since", "after": "since", "until": "until", "before": "until",
    "base": "base", "head": "head", "branch": "branch", "ref": "ref", "target": "target", "commit": "sha",
    "sha": "sha", "title": "title", "subject": "title", "body": "body", "message": "message", "notes": "notes",
    "description": "description", "desc": "description", "repo": "repo", "repository": "repo",
    "publish": "publish", "expose": "expose", "env": "env", "environment": "env", "build-arg": "buildarg",
    "volume": "mount", "mount": "mount", "filter": "filter", "scale": "scale", "name": "naming", "tag": "tagname",
    "image": "image", "container": "container", "network": "network", "net": "network", "workdir": "workdir",
    "entrypoint": "entrypoint", "hostname": "hostname", "memory": "memory", "cpus": "cpus", "restart": "restart",
    "env-file": "envfile", "platform": "platform", "dockerfile": "dockerfile", "body-file": "bodyfile",
    "notes-file": "bodyfile", "output": "output", "dir": "dir", "directory": "dir", "src": "source",
    "source": "source", "dest": "dest", "destination": "dest", "context": "context", "pattern": "pattern",
    "search": "search", "query": "query", "milestone": "milestone", "project": "project", "workflow": "workflow",
    "event": "event", "language": "language", "topic": "topic", "sort": "sort", "order": "order",
    "direction": "order", "format": "format", "template": "template", "jq": "jq", "json": "json",
    "signal": "signal", "timeout": "seconds", "time": "seconds", "wait": "seconds", "color": "color", "url": "url",
    "homepage": "url", "email": "email", "command": "command", "cmd": "command", "args": "command",
    "secret": "secret", "days": "day", "port": "port", "key": "key", "value": "value-of", "username": "username",
    "password": "password", "registry": "registry", "user": "user", "actor": "user", "file": "file",
    "label-filter": "kvlabel", "term": "query", "target-image": "tagname", "source-image": "image", "files": "file",
    "paths": "file", "path": "context",
}

# --- phrases for flags --------------------------------------------------------------------
# Slots as for args, and verb: the flag said as the verb ("approve pr 12", "follow the api logs").
FLAGS: dict[str, dict[str, str]] = {
    "web": {"adv": "in the browser|on the web|in my browser|in a browser|in browser|and open {it} in the browser|"
                   "on the website"},
    "detach": {"adv": "in the background|detached|in detached mode|and detach|in the bg|without attaching",
               "pre": "detached"},
    "interactive": {"adv": "keeping stdin open|with stdin attached|with stdin open"},
    "tty": {"adv": "with a tty|with a pseudo-terminal|allocating a tty|with a terminal attached"},
    "force": {"adv": "forcefully|by force|with force|no matter what|even if it complains", "vpre": "force|forcefully"},
    "all": {"pre": "all", "adv": "all of them"},
    "all:running|stopped": {"pre": "all", "post": "including stopped ones|even the stopped ones|including stopped|"
                                                  "whether running or not|running or not|including the stopped ones"},
    "quiet": {"adv": "quietly|silently|in quiet mode|without the extra output"},
    "quiet:IDs?|ids?": {"adv": "just the ids|only the ids|ids only|only show ids|just show the IDs|IDs only"},
    "follow": {"adv": "and follow|and keep following|and follow along|live|and stream them|and keep watching|"
                      "following the output", "verb": "follow the logs of {O}|tail the logs of {O}|tail {O}|stream the logs of {O}"},
    "timestamps": {"adv": "with timestamps|timestamped|including timestamps|showing timestamps"},
    "json": {"adv": "as json|in json|as JSON|in JSON format|formatted as json|with json output"},
    "verbose": {"adv": "verbosely|with verbose output|in verbose mode|with extra detail"},
    "yes": {"adv": "without asking|without confirmation|skipping the prompt|no questions asked|without prompting|"
                   "and don't ask me to confirm"},
    "confirm": {"adv": "without asking|skipping the confirmation|and confirm it|no prompt"},
    "dry-run": {"adv": "as a dry run|dry run only|without actually doing it|just a dry run|in dry-run mode"},
    "draft": {"pre": "draft", "adv": "as a draft|in draft|as draft", "pred": "in draft|draft|drafts"},
    "fill": {"adv": "using the commit messages|filling in the title and body from the commits|with autofill|"
                    "autofilled from the commits"},
    "squash": {"adv": "with squash|squashing the layers|into a single layer|using squash", "vpre": "squash and"},
    "squash:commits": {"adv": "with squash|squashing the commits|as a squash merge|using squash", "vpre": "squash and",
                       "verb": "squash {O}|squash-merge {O}|squash and merge {O}"},
    "rebase": {"adv": "with rebase|by rebasing|using rebase|rebasing the commits", "vpre": "rebase and",
               "verb": "rebase-merge {O}|rebase and merge {O}"},
    "merge": {"adv": "with a merge commit|using a merge commit|as a regular merge"},
    "merge:[Ff]ilter": {"pre": "merge", "adv": "that are merge commits|only merge commits", "pred": "merge commits"},
    "merged": {"pre": "merged", "pred": "merged", "adv": "that got merged|that were merged"},
    "delete-branch": {"adv": "and delete the branch|deleting the branch afterwards|and clean up the branch|"
                             "then delete the branch"},
    "auto": {"adv": "automatically once checks pass|with auto-merge|when checks pass|automatically"},
    "admin": {"adv": "using admin privileges|as admin|with admin rights"},
    "public": {"pre": "public", "adv": "publicly|as public", "pred": "public"},
    "private": {"pre": "private", "adv": "privately|as private", "pred": "private"},
    "internal": {"pre": "internal", "adv": "as internal"},
    "clone": {"adv": "and clone it|and clone it locally|then clone it"},
    "rm": {"adv": "and remove it when it exits|and clean it up afterwards|auto-removing it on exit|as a throwaway",
           "pre": "throwaway|temporary|disposable"},
    "privileged": {"pre": "privileged", "adv": "in privileged mode|with full privileges"},
    "no-cache": {"adv": "without cache|without using the cache|with no cache|from scratch|skipping the cache"},
    "pull": {"adv": "pulling the latest base image|with fresh base images|pulling newer images first"},
    "build": {"adv": "and rebuild|rebuilding the images first|with a fresh build|and build first"},
    "remove-orphans": {"adv": "removing orphans|and remove orphan containers|cleaning up orphans"},
    "volumes": {"adv": "and delete the volumes|along with their volumes|including volumes|removing volumes too"},
    "recursive": {"adv": "recursively|and everything under it"},
    "watch": {"adv": "and watch it|and keep watching|live|and watch until it finishes",
              "verb": "watch {O}|keep an eye on {O}|wait on {O}"},
    "approve": {"adv": "approving it|as an approval|with an approval", "verb": "approve {O}|sign off on {O}|lgtm {O}"},
    "request-changes": {"adv": "requesting changes|asking for changes", "verb": "request changes on {O}"},
    "comments": {"adv": "with comments|including comments|with the comments"},
    "log": {"adv": "with logs|including logs|with the full log"},
    "log-failed": {"adv": "with the failed logs|only the failed step logs|showing failed logs"},
    "no-trunc": {"adv": "without truncating|untruncated|in full|with full output"},
    "prerelease": {"adv": "as a prerelease|marked as prerelease|as a pre-release", "pre": "prerelease"},
    "latest": {"adv": "marked as latest|as the latest release"},
    "latest:[Cc]reated": {"adv": "only the most recent one|just the latest one|the newest one only|"
                                 "only the last created one"},
    "generate-notes": {"adv": "with generated notes|and auto-generate the notes|with auto-generated release notes"},
    "exit-status": {"adv": "and exit non-zero if it failed|returning a failing exit code on failure"},
    "help": {"adv": "and show the help|with help"},
    "size": {"adv": "with sizes|showing sizes|including size"},
    "digests": {"adv": "with digests|showing digests"},
    "init": {"adv": "with an init process|using init"},
    "no-deps": {"adv": "without dependencies|without starting linked services|skipping dependencies"},
    "insecure": {"adv": "insecurely|skipping tls verification"},
    "archived": {"pre": "archived", "adv": "including archived ones", "pred": "archived"},
    "fork": {"pre": "forked"},
    "source": {"adv": "that aren't forks|sources only", "pre": "source"},
}

# (command verb, arg) -> the arg said as the verb of the whole request, its value in the phrase:
# "comment LGTM on pr 42". An edit is mostly said by what it changes: "assign issue 42 to octocat",
# "rename pr 23 to WIP", "label #17 enhancement", not "edit issue 42 and assign octocat".
VALUE_VERBS = {
    ("comment", "body"): 'comment "{v}" on {O}|comment {v} on {O}|post "{v}" on {O}|say "{v}" on {O}|'
                         'leave "{v}" on {O}|reply "{v}" to {O}|write {v} on {O}',
    ("edit", "title"): 'rename {O} to "{v}"|rename {O} to {v}|retitle {O} to {v}|change the title of {O} to "{v}"|'
                       'retitle {O} "{v}"',
    ("edit", "name"): "rename {O} to {v}|change the name of {O} to {v}|rename {O} as {v}",
    ("edit", "base"): "retarget {O} onto {v}|retarget {O} to {v}|point {O} at {v}|change the base of {O} to {v}|"
                      "move {O} onto {v}",
    ("edit", "body"): 'change the body of {O} to "{v}"|set the description of {O} to "{v}"|rewrite {O} to say "{v}"',
    ("edit", "milestone"): "move {O} to the {v} milestone|put {O} in milestone {v}|set the milestone of {O} to {v}|"
                           "add {O} to the {v} milestone",
    ("edit", "add-label"): "label {O} {v}|label {O} as {v}|tag {O} {v}|tag {O} with {v}|add the {v} label to {O}|"
                           "put the {v} label on {O}|add label {v} to {O}",
    ("edit", "remove-label"): "take the {v} label off {O}|remove the {v} label from {O}|unlabel {O} {v}|"
                              "drop the {v} label from {O}|remove label {v} from {O}",
    ("edit", "add-assignee"): "assign {O} to {v}|give {O} to {v}|add {v} as an assignee on {O}|put {v} on {O}",
    ("edit", "remove-assignee"): "unassign {v} from {O}|take {v} off {O}|remove {v} as assignee from {O}",
    ("edit", "add-reviewer"): "add {v} as a reviewer on {O}|add {v} as reviewer to {O}|ask {v} to review {O}|"
                              "request a review from {v} on {O}|get {v} to review {O}|request {v} as reviewer on {O}",
    ("edit", "remove-reviewer"): "remove {v} as a reviewer from {O}|take {v} off the reviewers of {O}|"
                                 "drop {v} as reviewer on {O}",
    ("edit", "add-project"): "add {O} to the {v} project|put {O} on the {v} board|move {O} to the {v} board",
    ("edit", "remove-project"): "remove {O} from the {v} project|take {O} off the {v} board",
    ("edit", "add-topic"): "add topic {v} to {O}|add the {v} topic to {O}|tag {O} with topic {v}",
    ("edit", "remove-topic"): "remove topic {v} from {O}|take the {v} topic off {O}",
    ("edit", "description"): 'set the description of {O} to "{v}"|describe {O} as "{v}"|'
                             'change the description of {O} to "{v}"',
    ("edit", "desc"): 'set the description of {O} to "{v}"|describe {O} as "{v}"',
    ("edit", "color"): "recolor {O} to {v}|change the color of {O} to {v}|make {O} color {v}",
    ("edit", "default-branch"): "make {v} the default branch of {O}|set the default branch of {O} to {v}",
    ("edit", "visibility"): "make {O} {v}|switch {O} to {v}",
    ("edit", "homepage"): "set the homepage of {O} to {v}|point the homepage of {O} at {v}",
    ("edit", "add"): "add {v} to {O}|add the file {v} to {O}",
}
# The same for "@me": "assign issue 42 to me".
VALUE_VERBS_ME = {
    ("edit", "add-assignee"): "assign {O} to me|assign {O} to myself|assign me to {O}|self-assign {O}",
    ("edit", "remove-assignee"): "unassign me from {O}|take me off {O}|unassign myself from {O}",
}

# flags said together: name set -> phrases (said instead of each flag's own)
FLAG_COMBOS = {frozenset({"interactive", "tty"}): "interactively|with a shell|with an interactive terminal|"
                                                  "in an interactive shell|with an interactive tty"}

# An on-flag that cannot go with another: web output vs terminal output, alternatives.
EXCLUSIVE = [
    {"web", "json", "jq", "template", "format", "quiet"},
    {"quiet", "format", "json", "verbose"},
    {"public", "private", "internal"},
    {"squash", "rebase", "merge"},
    {"detach", "follow"},
    {"body", "body-file"}, {"notes", "notes-file", "generate-notes"},
]
REQUIRES = {"jq": "json", "template": "json"}

# Verbs that describe a flag's effect ("Show all containers" -> "and show all containers").
DESCRIPTION_VERBS = set(alts(
    "also|show|open|only|do|don't|skip|include|print|list|delete|remove|force|use|keep|add|allow|automatically|"
    "display|disable|enable|ignore|return|exit|mark|fetch|pull|push|run|wait|follow|watch|create|set|select|"
    "suppress|output|read|write|clone|prune|sign|fail|continue|assume|recreate|build|omit|hide|append|replace|"
    "preserve|check|expand|generate|prompt|treat|save|attach|publish|start|stop"))

# --- sentence framing ---------------------------------------------------------------------
POLITE = ("could you|could you please|can you|can you please|would you|would you please|please|pls|kindly|"
          "I'd like you to|go ahead and|just|quickly|hey can you|would you mind helping me")
POLITE_Q = {"could you", "could you please", "can you", "can you please", "would you", "would you please",
            "hey can you", "would you mind helping me"}
NEED = ("I need to|I want to|I'd like to|I wanna|I gotta|I have to|help me|let me|let's|need to|want to|we need to|"
        "trying to|how do I|how can I|how would I|what's the command to|is there a way to|remind me how to|"
        "time to|I'm trying to|what do I type to")
NEED_Q = {"how do I", "how can I", "how would I", "what's the command to", "is there a way to", "what do I type to"}
LEAD = "hey|hey there|ok|okay|so|um|yo|hi|quick one:|real quick,|alright,|right,|hmm,|ok so"
TRAIL = "please|thanks|thx|pls|real quick|asap|now|thank you|when you get a chance|if you can|for me|ty|cheers"

LIST_ASK = ("what {O} are there|are there any {O}|any {O}|do we have any {O}|what {O} do we have|got any {O}|"
            "what {O} exist|which {O} are there|is there a list of {O}|what are the {O}")
LIST_ASK_DET = "what are {O}|can you tell me {O}|what's on the list of {O}"
LIST_PRED = ("which {N} are {P}|what {N} are {P}|show me {N} that are {P}|list {N} that are {P}|"
             "any {N} that are {P}|{N} that are {P}")
LIST_SEE = ("I want to see {O}|I need a list of {O}|give me a list of {O}|show me a list of {O}|let me see {O}|"
            "can I see {O}|can I get a list of {O}|list of {O} please|I'd like to see {O}|need to see {O}")
VIEW_ASK = ("what's in {O}|what does {O} look like|can I see {O}|tell me about {O}|info on {O}|details for {O}|"
            "give me the details of {O}|can I get a look at {O}|what's up with {O}|let me see {O}")
VIEW_ASK_Q = {"what's in {O}", "what does {O} look like", "can I see {O}", "can I get a look at {O}",
              "what's up with {O}"}
CREATE_ASK = ("I want {O}|I'd like {O}|I need {O}|can I get {O}|let's have {O}|we need {O}|time for {O}|"
              "set me up with {O}")
CREATE_ASK_Q = {"can I get {O}"}
THEN_IT = "{O}, {V}|{O}: {V}|{O} - {V}|{O}... {V}|{O} — {V} please"
LITERAL = "{L}|run {L}|{L} please|can you run {L}|just {L}|basically {L}|do {L}|like {L}|the equivalent of {L}"
LITERAL_ONES = "{L} but only {P} ones|{L}, {P} ones only|{L} for the {P} ones|{L} with just the {P} ones"

# Pre-adjective enum values: state-like words that read well before a noun ("closed issues").
ADJECTIVE_ENDINGS = ("ed", "ing", "open", "draft", "active", "ive", "public", "private", "internal", "pending",
                     "stale", "new", "idle", "online", "offline", "all", "dangling")
