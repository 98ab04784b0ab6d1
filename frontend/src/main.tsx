import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { SharedView, sharedToken } from "./components/SharedView";
import { AuthGate } from "./components/SignIn";
import "./index.css";

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 } },
});

// a shared conversation's page needs no sign-in (issue 19)
const shared = sharedToken(window.location.pathname);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {shared ? (
        <SharedView token={shared} />
      ) : (
        <AuthGate>
          <App />
        </AuthGate>
      )}
    </QueryClientProvider>
  </StrictMode>,
);
