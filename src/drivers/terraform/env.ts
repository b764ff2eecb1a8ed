// The environment terraform runs in: the caller's (cloud credentials come through it),
// minus what would change terraform's behaviour behind Pilot's back, plus Pilot's own.

const dropped = /^TF_(CLI_ARGS(_.*)?|LOG(_.*)?|DATA_DIR|WORKSPACE|PLUGIN_CACHE_DIR|REATTACH_PROVIDERS|CLI_CONFIG_FILE|INPUT|IN_AUTOMATION)$/;

export function terraformEnv(base: NodeJS.ProcessEnv, cliConfigFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    // TF_CLI_ARGS would add flags (-auto-approve, -lock=false) to every command; TF_LOG
    // would print provider traffic, values included, on stderr, which errors quote.
    if (value !== undefined && !dropped.test(name)) env[name] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
}
