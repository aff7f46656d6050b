import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { createQueryClient, Providers } from "@/app/providers";
import { createRouter } from "@/app/router";
import "@/styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

const client = createQueryClient();
createRoot(root).render(
  <StrictMode>
    <Providers client={client}>
      <RouterProvider router={createRouter(client)} />
    </Providers>
  </StrictMode>,
);
