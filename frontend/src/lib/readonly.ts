// True on a shared conversation's page (issue 19): nothing there may act on the thread (no cells run).
import { createContext } from "react";

export const ReadOnly = createContext(false);
