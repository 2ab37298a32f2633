import { applyEnvFile } from '@ares/data';

/** Reads the profile named by ARES_ENV_FILE into the environment (set variables win); main.ts calls it before a command runs. */
export function loadProfile(): void {
  applyEnvFile();
}
