#!/bin/sh
# Part 7 checkpoint: KMS key + alias, the secret bound to it, and use-secret.
#
# LocalStack runs this file directly (so it keeps its run bit and shebang);
# MiniStack runs it as `sh FILE`. Either way it is plain POSIX sh, and all it
# does is find the kit and hand over to the prebuilt bundle: no npm, no tsx,
# nothing compiled at hook time.
set -eu

# The hook may be reached through a bind mount or a symbolic link, so the
# project is KIT_HOME when set, else found from this file's resolved path.
kit_home() {
  if [ -n "${KIT_HOME:-}" ]; then
    printf '%s\n' "$KIT_HOME"
    return
  fi
  script=${MINISTACK_INIT_SCRIPT_PATH:-$0}
  while [ -L "$script" ]; do
    target=$(readlink "$script")
    case $target in
      /*) script=$target ;;
      *) script=$(dirname "$script")/$target ;;
    esac
  done
  (cd -P "$(dirname "$script")/../.." && pwd -P)
}

home=$(kit_home)
bundle=$home/dist/kit.mjs

if [ ! -f "$bundle" ]; then
  echo "[kit] part 7: $bundle not found; build it (npm run build) or set KIT_HOME to the kit folder" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "[kit] part 7: node is not on PATH in this container; use an image with Node.js 20 or newer" >&2
  exit 1
fi

exec node "$bundle" apply --part 7
