import { installStackRepair } from "./stack-frames";

/**
 * Imported first by `index.ts`, for its side effect: every stack formatted in the program's
 * process from here on, errors thrown while the components load included, is one Node 20 can
 * inspect (see `./stack-frames`).
 */
installStackRepair();
