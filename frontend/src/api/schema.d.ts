// Generated from the backend's /openapi.json by scripts/gen-api.mjs. Do not edit.
export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health
         * @description 200 when every part is ok, 503 naming the ones that are not; `checks.model` names the provider.
         */
        get: operations["health_api_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Threads
         * @description The caller's threads, newest activity first; with `q`, only those whose title or messages match.
         */
        get: operations["list_threads_api_threads_get"];
        put?: never;
        /**
         * Create Thread
         * @description Create a thread owned by the caller.
         */
        post: operations["create_thread_api_threads_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Thread
         * @description One of the caller's threads.
         */
        get: operations["get_thread_api_threads__thread_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Thread
         * @description Delete a thread with its messages, checkpoints, sandbox and workspace.
         */
        delete: operations["delete_thread_api_threads__thread_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Thread
         * @description Rename, archive/unarchive, or change part of the config.
         */
        patch: operations["update_thread_api_threads__thread_id__patch"];
        trace?: never;
    };
    "/api/config/defaults": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Config Defaults
         * @description The default thread config and the models this server can use.
         */
        get: operations["config_defaults_api_config_defaults_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Execute
         * @description Run a cell in the thread's sandbox (variables persist between calls).
         *
         *     With `Accept: text/event-stream` the answer is an SSE stream: `output` events while the cell runs,
         *     then one `result` event with this record (lgurban.api.execute_stream).
         */
        post: operations["execute_api_threads__thread_id__execute_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executions
         * @description Every execution of the thread, oldest first (the notebook view).
         */
        get: operations["executions_api_threads__thread_id__executions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/sandbox/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restart
         * @description Restart the thread's sandbox: variables are cleared, files kept.
         */
        post: operations["restart_api_threads__thread_id__sandbox_restart_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Files
         * @description The files in the thread's workspace (optionally under one folder).
         */
        get: operations["files_api_threads__thread_id__files_get"];
        put?: never;
        /**
         * Upload File
         * @description Upload a file to the workspace (multipart: `file`, optional `path`), streamed; UPLOAD_MAX_MB max.
         */
        post: operations["upload_file_api_threads__thread_id__files_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/files/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read File
         * @description Download one workspace file.
         */
        get: operations["read_file_api_threads__thread_id__files__path__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Artifacts
         * @description The thread's artifacts, oldest first, each with a fresh signed download link.
         */
        get: operations["list_artifacts_api_threads__thread_id__artifacts_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/artifacts/{artifact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Artifact
         * @description One artifact (another user's → 404).
         */
        get: operations["get_artifact_api_artifacts__artifact_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/artifacts/{artifact_id}/provenance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Artifact Provenance
         * @description Where the artifact came from: the cell that wrote it (code, outputs) and the versions of the datasets
         *     that cell read (portal modified time, ETag, sha256, rows, licence), as recorded when they were loaded.
         */
        get: operations["artifact_provenance_api_artifacts__artifact_id__provenance_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/artifacts/{artifact_id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Artifact
         * @description 307 to a short-lived signed URL (S3 presigned, or this server's /blobs/... link); 410 ARTIFACT_EXPIRED
         *     when the store no longer has the file.
         */
        get: operations["download_artifact_api_artifacts__artifact_id__download_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export File
         * @description Publish a workspace file under output/exports/ and return a signed URL with its expiry.
         */
        post: operations["export_file_api_threads__thread_id__exports_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search Datasets
         * @description Search the open-data portal and the server's heavy datasets by keywords.
         */
        get: operations["search_datasets_api_datasets_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Dataset
         * @description A dataset with its fields, time coverage and geographic information.
         */
        get: operations["get_dataset_api_datasets__dataset_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Preview Dataset
         * @description The first rows of a dataset, without loading it.
         */
        get: operations["preview_dataset_api_datasets__dataset_id__preview_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{dataset_id}/geojson": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dataset Geojson
         * @description A geographic dataset's first `limit` features as GeoJSON, for a map preview without loading it.
         *     409 `DATASET_NOT_GEO` when it has no geometry; 413 `DATASET_TOO_LARGE_FOR_MAP` for a portal dataset with
         *     more records than `DATASET_BBOX_MAX_RECORDS` (its export is not downloaded for a preview).
         */
        get: operations["dataset_geojson_api_datasets__dataset_id__geojson_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Thread Datasets
         * @description The heavy datasets available on this server and the files in the thread's workspace.
         */
        get: operations["thread_datasets_api_threads__thread_id__datasets_get"];
        put?: never;
        /**
         * Load Dataset
         * @description Load a dataset into the thread's workspace as `datasets/<id>.parquet`.
         */
        post: operations["load_dataset_api_threads__thread_id__datasets_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Messages
         * @description The thread's history, oldest first, with tool calls, outputs and artifacts.
         */
        get: operations["get_messages_api_threads__thread_id__messages_get"];
        put?: never;
        /**
         * Post Message
         * @description Send a message: the answer is the run's event stream. The run goes on if the client leaves.
         */
        post: operations["post_message_api_threads__thread_id__messages_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/messages/{message_id}/edit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Edit Message
         * @description Send the last question again with new text, as a new run; the earlier exchange stays in the
         *     history (the new user message's `meta.replaces` names the question it replaces), unseen by the model.
         */
        post: operations["edit_message_api_threads__thread_id__messages__message_id__edit_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/messages/{message_id}/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Regenerate
         * @description A new answer to the last question (`message_id`: an assistant message of that answer), as a new run;
         *     the earlier answer stays in the history (`meta.replaces`) but the model does not see it.
         */
        post: operations["regenerate_api_threads__thread_id__messages__message_id__regenerate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/runs/active/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Attach
         * @description Re-attach to the running run's stream (after a reconnect), from the start or after an event id.
         */
        get: operations["attach_api_threads__thread_id__runs_active_events_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/runs/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume Run
         * @description Answer the report draft the thread waits on (issue 15): approve (a Markdown and an HTML artifact are
         *     stored), edit (the draft becomes `text` and is shown for approval again) or reject (nothing is stored).
         */
        post: operations["resume_run_api_threads__thread_id__runs_resume_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/runs/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Run
         * @description Stop the thread's run; running code is interrupted and what was produced is kept.
         */
        post: operations["cancel_run_api_threads__thread_id__runs_cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Thread State
         * @description Context usage and whether a run is going.
         */
        get: operations["thread_state_api_threads__thread_id__state_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export Thread
         * @description The conversation and every cell the thread ran, with outputs; the datasets at the versions used.
         */
        get: operations["export_thread_api_threads__thread_id__export_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/rerun": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rerun Thread
         * @description Replay the thread's cells in a fresh sandbox on fresh dataset downloads, as a new thread, and say
         *     what changed. Long: each cell up to SANDBOX_EXEC_TIMEOUT_S, the whole at most 15 minutes.
         */
        post: operations["rerun_thread_api_threads__thread_id__rerun_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/fork": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fork
         * @description A new thread with the conversation up to and including `message_id` (a user message: the question
         *     without its answer), the workspace files, and the variables restored by re-running the cells.
         */
        post: operations["fork_api_threads__thread_id__fork_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/threads/{thread_id}/share": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Share
         * @description The thread's live link; 404 SHARE_NOT_FOUND when it is not shared.
         */
        get: operations["get_share_api_threads__thread_id__share_get"];
        put?: never;
        /**
         * Share Thread
         * @description The thread's read-only link: made now, or the one already made (until it is revoked).
         */
        post: operations["share_thread_api_threads__thread_id__share_post"];
        /**
         * Revoke Share
         * @description Stop sharing: the link answers 410 SHARE_REVOKED from now on (404 when it was not shared).
         */
        delete: operations["revoke_share_api_threads__thread_id__share_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/shared/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Shared Thread
         * @description A shared conversation, read-only, for whoever has the link (no sign-in).
         */
        get: operations["shared_thread_api_shared__token__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/shared/{token}/artifacts/{artifact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Shared Artifact
         * @description An artifact of the shared thread (any other artifact → 404), as a short-lived signed link.
         */
        get: operations["shared_artifact_api_shared__token__artifacts__artifact_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Session
         * @description Sign in with an API token (AUTH_MODE=token); a previous session of this browser ends.
         */
        post: operations["create_session_api_auth_session_post"];
        /**
         * Delete Session
         * @description Sign out: the session cookie stops working at once, here and in any copy of it.
         */
        delete: operations["delete_session_api_auth_session_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Me
         * @description The signed-in user (in AUTH_MODE=local, the implicit local user).
         */
        get: operations["me_api_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Auth Config
         * @description The sign-in method: paste a token (token), a provider's button (oidc), or none needed (local).
         */
        get: operations["auth_config_api_auth_config_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Oidc Login
         * @description Start a sign-in: a new state, nonce and PKCE verifier (in a sealed cookie), then to the provider.
         */
        get: operations["oidc_login_api_auth_oidc_login_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Oidc Callback
         * @description Finish a sign-in: check state, trade the code (with the PKCE verifier), validate the ID token, check
         *     the allow-list, then the user (created on a first sign-in) gets a session.
         */
        get: operations["oidc_callback_api_auth_oidc_callback_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My Usage
         * @description The signed-in user's limits (their own values over the server's defaults) and their usage.
         */
        get: operations["my_usage_api_me_usage_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/provider-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Provider Keys
         * @description The caller's stored keys: provider, last four characters, when set, whether the last call worked.
         */
        get: operations["list_provider_keys_api_me_provider_keys_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/provider-keys/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Put Provider Key
         * @description Store (or replace) the caller's key for `provider`; their runs use it from the next message on.
         *
         *     422 INVALID_PROVIDER_KEY: a key too short or with spaces, a base_url missing (openai_compatible), not
         *     http(s), or given for another provider.
         */
        put: operations["put_provider_key_api_me_provider_keys__provider__put"];
        post?: never;
        /**
         * Delete Provider Key
         * @description Remove the caller's key for `provider` (404 PROVIDER_KEY_NOT_FOUND when there is none).
         */
        delete: operations["delete_provider_key_api_me_provider_keys__provider__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Info
         * @description What this LangGraph-compatible server is (agent-chat-ui checks it before connecting).
         */
        get: operations["info_langgraph_info_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/assistants/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search Assistants
         * @description The analyst, if it matches the filters.
         */
        post: operations["search_assistants_langgraph_assistants_search_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/assistants/{assistant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Assistant
         * @description The analyst (404 for any other id).
         */
        get: operations["get_assistant_langgraph_assistants__assistant_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Thread
         * @description A new thread of the caller's (metadata.title becomes its title; other metadata is not kept).
         */
        post: operations["create_thread_langgraph_threads_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Thread
         * @description One of the caller's threads, with its values (the conversation).
         */
        get: operations["get_thread_langgraph_threads__thread_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Thread
         * @description Delete the thread as DELETE /api/threads/{id} does (messages, checkpoints, sandbox, workspace).
         */
        delete: operations["delete_thread_langgraph_threads__thread_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search Threads
         * @description The caller's (unarchived) threads matching metadata / ids / status, sorted and paged.
         */
        post: operations["search_threads_langgraph_threads_search_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get State
         * @description The thread's current state: the conversation, and the last run as its checkpoint.
         */
        get: operations["get_state_langgraph_threads__thread_id__state_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/state/{checkpoint_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get State At
         * @description The state at one checkpoint (the end of one run; its id is the run's id).
         */
        get: operations["get_state_at_langgraph_threads__thread_id__state__checkpoint_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get History
         * @description The thread's past states, newest first: one per run (`before`, `checkpoint`, `metadata`, `limit`).
         */
        post: operations["get_history_langgraph_threads__thread_id__history_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Runs
         * @description The thread's runs, newest first.
         */
        get: operations["list_runs_langgraph_threads__thread_id__runs_get"];
        put?: never;
        /**
         * Create Run
         * @description Start a background run on the thread; follow it with join / join_stream, stop it with cancel.
         */
        post: operations["create_run_langgraph_threads__thread_id__runs_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stream Run
         * @description Start a run and stream it (modes: values, updates, messages-tuple, custom).
         */
        post: operations["stream_run_langgraph_threads__thread_id__runs_stream_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Wait Run
         * @description Start a run and answer with the thread's final values when it ends.
         */
        post: operations["wait_run_langgraph_threads__thread_id__runs_wait_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Run
         * @description One run of the thread (a cancelled one reads `interrupted`).
         */
        get: operations["get_run_langgraph_threads__thread_id__runs__run_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/{run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Run
         * @description Stop the run (what it produced is kept; it reads `interrupted`); with wait=1 answer once it ended.
         */
        post: operations["cancel_run_langgraph_threads__thread_id__runs__run_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/{run_id}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Join Run
         * @description Wait for the run to end; the thread's final values.
         */
        get: operations["join_run_langgraph_threads__thread_id__runs__run_id__join_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/langgraph/threads/{thread_id}/runs/{run_id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Join Stream
         * @description Stream a run that was started already (after `Last-Event-ID` when given), to its end.
         */
        get: operations["join_stream_langgraph_threads__thread_id__runs__run_id__stream_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Accepted */
        Accepted: {
            /** Status */
            status: string;
        };
        /**
         * AnswerCheckEvent
         * @description The answer just written was sent back to the analyst (issue 15): these figures are in no tool output.
         *     The text streamed since the last stored message is a draft the next answer replaces.
         */
        AnswerCheckEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "answer_check";
            /**
             * Status
             * @default revising
             * @constant
             */
            status: "revising";
            /** Unverified */
            unverified?: components["schemas"]["UnverifiedOut"][];
        };
        /**
         * ApprovalOut
         * @description A report draft waiting for the user's approval (issue 15).
         */
        ApprovalOut: {
            /** Draft */
            draft: string;
        };
        /**
         * ApprovalRequiredEvent
         * @description The report writer drafted a report (issue 15) and waits for the user: the run ends `waiting`; resume it
         *     with POST /api/threads/{id}/runs/resume {decision: approve|edit|reject, text?}.
         */
        ApprovalRequiredEvent: {
            /**
             * Agent
             * @default report_writer
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "approval_required";
            /** Draft */
            draft: string;
        };
        /**
         * ArtifactEvent
         * @description A file the code stored; `tool_call_id` is the call that made it.
         */
        ArtifactEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "artifact";
            /** Tool Call Id */
            tool_call_id?: string | null;
            artifact: components["schemas"]["ArtifactOut"];
        };
        /** ArtifactList */
        ArtifactList: {
            /** Items */
            items: components["schemas"]["ArtifactOut"][];
        };
        /**
         * ArtifactOut
         * @description An artifact as every client sees it; `url` is a fresh signed download link.
         */
        ArtifactOut: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Thread Id
             * Format: uuid
             */
            thread_id: string;
            /** Filename */
            filename: string;
            /** Mime */
            mime: string;
            /** Size */
            size: number;
            /** Sha256 */
            sha256: string;
            /** Created At */
            created_at: string;
            /** Url */
            url: string;
            /** Execution Id */
            execution_id?: string | null;
            /** Tool Call Id */
            tool_call_id?: string | null;
        };
        /**
         * AuthConfigOut
         * @description How this server signs people in, for the web app's sign-in page (asked before anyone is signed in).
         */
        AuthConfigOut: {
            /**
             * Auth Mode
             * @enum {string}
             */
            auth_mode: "local" | "token" | "oidc";
            /** Oidc Provider */
            oidc_provider?: string | null;
            /** Oidc Login Url */
            oidc_login_url?: string | null;
        };
        /** AvailableOut */
        AvailableOut: {
            /** Id */
            id: string;
            /** Source */
            source: string;
            /** Bytes */
            bytes: number;
            /** Modified At */
            modified_at?: string | null;
        };
        /** CancelOut */
        CancelOut: {
            /** Run Id */
            run_id: string | null;
        };
        /** ChangeOut */
        ChangeOut: {
            /**
             * Execution Id
             * Format: uuid
             * @description the recorded cell, in the source thread
             */
            execution_id: string;
            /**
             * New Execution Id
             * @description its re-run in the new thread (None: not re-run)
             */
            new_execution_id: string | null;
            /**
             * Old
             * @description what the cell showed then (stdout, text results, error)
             */
            old: string;
            /**
             * New
             * @description what it shows now
             */
            new: string;
            /**
             * Numbers
             * @description the numbers that moved, in order, when the text is the same
             */
            numbers: components["schemas"]["MovedOut"][];
        };
        /**
         * ChatEvent
         * @description One event of a run's stream (the `data:` of an SSE frame; `event:` repeats its `type`).
         */
        ChatEvent: components["schemas"]["RunStartedEvent"] | components["schemas"]["TokenEvent"] | components["schemas"]["ToolStartEvent"] | components["schemas"]["ToolOutputEvent"] | components["schemas"]["ToolEndEvent"] | components["schemas"]["PlanEvent"] | components["schemas"]["ArtifactEvent"] | components["schemas"]["ContextEvent"] | components["schemas"]["MessageEvent"] | components["schemas"]["AnswerCheckEvent"] | components["schemas"]["ReviewEvent"] | components["schemas"]["ApprovalRequiredEvent"] | components["schemas"]["ErrorEvent"] | components["schemas"]["DoneEvent"];
        /** ConfigDefaults */
        ConfigDefaults: {
            config: components["schemas"]["ThreadConfig"];
            /** Models */
            models: components["schemas"]["ModelOut"][];
            /** Providers */
            providers: string[];
            /**
             * Max Message Chars
             * @default 100000
             */
            max_message_chars: number;
            map_tiles: components["schemas"]["MapTilesOut"];
        };
        /**
         * ContextEvent
         * @description How much of the model's context window the conversation uses.
         */
        ContextEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "context";
            /** Tokens Used */
            tokens_used: number;
            /** Context Window */
            context_window: number;
        };
        /** ContextOut */
        ContextOut: {
            /** Tokens Used */
            tokens_used: number;
            /** Context Window */
            context_window: number;
        };
        /** DatasetDetail */
        DatasetDetail: {
            /** Id */
            id: string;
            /** Title */
            title: string;
            /** Description */
            description?: string | null;
            /** Source */
            source: string;
            /** Records Count */
            records_count?: number | null;
            /** Is Geo */
            is_geo: boolean;
            /** Modified At */
            modified_at?: string | null;
            /** Fields */
            fields: components["schemas"]["FieldOut"][];
            time_coverage?: components["schemas"]["TimeCoverage"] | null;
            geo?: components["schemas"]["GeoOut"] | null;
            /** License */
            license?: string | null;
            /** Publisher */
            publisher?: string | null;
        };
        /** DatasetItem */
        DatasetItem: {
            /** Id */
            id: string;
            /** Title */
            title: string;
            /** Description */
            description?: string | null;
            /** Source */
            source: string;
            /** Records Count */
            records_count?: number | null;
            /** Is Geo */
            is_geo: boolean;
            /** Modified At */
            modified_at?: string | null;
        };
        /** DatasetList */
        DatasetList: {
            /** Total */
            total: number;
            /** Items */
            items: components["schemas"]["DatasetItem"][];
        };
        /**
         * DatasetLoadOut
         * @description One dataset as the thread had loaded it: the version of the data, as recorded at load.
         */
        DatasetLoadOut: {
            /** Dataset Id */
            dataset_id: string;
            /**
             * Source
             * @description opendata (the portal's export) or store (a dataset put in the store)
             */
            source: string;
            /**
             * Modified
             * @description the portal's modified time (or the store object's version)
             */
            modified: string | null;
            /** Etag */
            etag: string | null;
            /** Sha256 */
            sha256: string;
            /** Rows */
            rows: number | null;
            /** License */
            license: string | null;
            /**
             * Loaded At
             * Format: date-time
             */
            loaded_at: string;
        };
        /** DatasetVersionOut */
        DatasetVersionOut: {
            /** Id */
            id: string;
            /**
             * Changed
             * @description the data differs from the version the thread loaded (sha256)
             */
            changed: boolean;
            /** Old Modified */
            old_modified: string | null;
            /** New Modified */
            new_modified: string | null;
            /**
             * Stale
             * @description the portal did not answer: the cached copy was used
             */
            stale: boolean;
        };
        /**
         * DoneEvent
         * @description The run ended: `status` is done, cancelled, error or waiting (a report draft waits for approval).
         */
        DoneEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "done";
            /**
             * Run Id
             * Format: uuid
             */
            run_id: string;
            /**
             * Status
             * @default done
             */
            status: string;
        };
        /**
         * EditIn
         * @description The last question's new text (issue 19: edit and send again).
         */
        EditIn: {
            /** Content */
            content: string;
            /** Client Message Id */
            client_message_id?: string | null;
        };
        /** ErrorBody */
        ErrorBody: {
            /** Code */
            code: string;
            /** Message */
            message: string;
        };
        /** ErrorEvent */
        ErrorEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "error";
            /** Code */
            code: string;
            /** Message */
            message: string;
        };
        /** ErrorOut */
        ErrorOut: {
            error: components["schemas"]["ErrorBody"];
        };
        /** ExecuteIn */
        ExecuteIn: {
            /** Code */
            code: string;
            /** Timeout S */
            timeout_s?: number | null;
        };
        /** ExecutionErrorOut */
        ExecutionErrorOut: {
            /** Name */
            name: string;
            /** Value */
            value: string;
            /** Traceback */
            traceback: string;
        };
        /** ExecutionList */
        ExecutionList: {
            /** Items */
            items: components["schemas"]["ExecutionOut"][];
        };
        /**
         * ExecutionOut
         * @description What one cell did: streams, rich outputs, the error, the artifacts it made, notes for the user.
         */
        ExecutionOut: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Ok */
            ok: boolean;
            /**
             * Stdout
             * @default
             */
            stdout: string;
            /**
             * Stderr
             * @default
             */
            stderr: string;
            /** Outputs */
            outputs: components["schemas"]["OutputOut"][];
            error: components["schemas"]["ExecutionErrorOut"] | null;
            /** Artifacts */
            artifacts: components["schemas"]["ArtifactOut"][];
            /**
             * Duration Ms
             * @default 0
             */
            duration_ms: number;
            /** Notes */
            notes: string[];
            /** Execution Count */
            execution_count: number | null;
            /** Code */
            code: string | null;
            /** Source */
            source: string | null;
            /** Created At */
            created_at: string | null;
        };
        /** ExportIn */
        ExportIn: {
            /**
             * Path
             * @description a file in the thread's workspace
             */
            path: string;
        };
        /**
         * ExportOut
         * @description A published workspace file: a signed link, when it expires (ISO 8601) and its object-store key.
         */
        ExportOut: {
            /** Url */
            url: string;
            /** Expires At */
            expires_at: string;
            /** Key */
            key: string;
        };
        /** FieldOut */
        FieldOut: {
            /** Name */
            name: string;
            /** Label */
            label?: string | null;
            /** Type */
            type?: string | null;
            /** Description */
            description?: string | null;
        };
        /** FileList */
        FileList: {
            /** Items */
            items: components["schemas"]["FileOut"][];
        };
        /** FileOut */
        FileOut: {
            /** Path */
            path: string;
            /** Size */
            size: number;
            /**
             * Modified At
             * Format: date-time
             */
            modified_at: string;
        };
        /** ForkIn */
        ForkIn: {
            /**
             * Message Id
             * Format: uuid
             * @description the message to fork at (kept, with all before)
             */
            message_id: string;
        };
        /** ForkOut */
        ForkOut: {
            /**
             * Thread Id
             * Format: uuid
             */
            thread_id: string;
            /**
             * Messages
             * @description messages copied (up to and including the one forked at)
             */
            messages: number;
            /**
             * Cells
             * @description cells recorded by then, copied
             */
            cells: number;
            /**
             * Replayed
             * @description cells re-run in the new sandbox to restore the variables
             */
            replayed: number;
            /**
             * Files
             * @description workspace files copied (as they are now)
             */
            files: number;
            /**
             * Model History
             * @description the model's memory of the conversation was copied
             */
            model_history: boolean;
            /** Note */
            note: string;
        };
        /** GeoOut */
        GeoOut: {
            /** Fields */
            fields: string[];
            /** Bbox */
            bbox?: number[] | null;
        };
        /**
         * GeoPreviewOut
         * @description A GeoJSON FeatureCollection (RFC 7946, lon/lat): each feature's `properties` are its record's fields.
         *     `total` is the dataset's number of rows; `truncated` is true when rows after the last feature were not
         *     read (the `limit`).
         */
        GeoPreviewOut: {
            /**
             * Type
             * @default FeatureCollection
             */
            type: string;
            /** Features */
            features: {
                [key: string]: unknown;
            }[];
            /** Total */
            total: number;
            /** Truncated */
            truncated: boolean;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** HealthOut */
        HealthOut: {
            /** Status */
            status: string;
            /** Checks */
            checks: {
                [key: string]: string;
            };
            /** Details */
            details?: {
                [key: string]: unknown;
            };
        };
        /** LgAssistantOut */
        LgAssistantOut: {
            /** Assistant Id */
            assistant_id: string;
            /** Graph Id */
            graph_id: string;
            /** Config */
            config: {
                [key: string]: unknown;
            };
            /** Context */
            context: {
                [key: string]: unknown;
            };
            /** Metadata */
            metadata: {
                [key: string]: unknown;
            };
            /** Version */
            version: number;
            /** Name */
            name: string;
            /** Description */
            description: string | null;
            /** Created At */
            created_at: string;
            /** Updated At */
            updated_at: string;
        };
        /** LgAssistantSearch */
        LgAssistantSearch: {
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /** Graph Id */
            graph_id?: string | null;
            /** Name */
            name?: string | null;
            /**
             * Limit
             * @default 10
             */
            limit: number;
            /**
             * Offset
             * @default 0
             */
            offset: number;
        };
        /** LgCheckpoint */
        LgCheckpoint: {
            /** Thread Id */
            thread_id: string;
            /**
             * Checkpoint Ns
             * @default
             */
            checkpoint_ns: string;
            /** Checkpoint Id */
            checkpoint_id?: string | null;
            /** Checkpoint Map */
            checkpoint_map?: {
                [key: string]: unknown;
            } | null;
        };
        /** LgCheckpointIn */
        LgCheckpointIn: {
            /** Checkpoint Id */
            checkpoint_id?: string | null;
        };
        /** LgHistoryIn */
        LgHistoryIn: {
            /**
             * Limit
             * @default 10
             */
            limit: number;
            /** Before */
            before?: components["schemas"]["LgCheckpointIn"] | string | null;
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            checkpoint?: components["schemas"]["LgCheckpointIn"] | null;
        };
        /**
         * LgRunCreate
         * @description The body of runs create / stream / wait (the fields the SDK sends; the rest are ignored).
         */
        LgRunCreate: {
            /** Assistant Id */
            assistant_id: string;
            /** Input */
            input?: {
                [key: string]: unknown;
            } | null;
            /** Command */
            command?: {
                [key: string]: unknown;
            } | null;
            /**
             * Stream Mode
             * @default values
             */
            stream_mode: ("values" | "updates" | "messages-tuple" | "custom" | "messages" | "events" | "debug" | "tasks" | "checkpoints" | "tools" | "lifecycle") | ("values" | "updates" | "messages-tuple" | "custom" | "messages" | "events" | "debug" | "tasks" | "checkpoints" | "tools" | "lifecycle")[];
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /** Checkpoint */
            checkpoint?: {
                [key: string]: unknown;
            } | null;
            /** Checkpoint Id */
            checkpoint_id?: string | null;
            /** Interrupt Before */
            interrupt_before?: string | string[] | null;
            /** Interrupt After */
            interrupt_after?: string | string[] | null;
            /** Webhook */
            webhook?: string | null;
            /**
             * Multitask Strategy
             * @default reject
             * @enum {string}
             */
            multitask_strategy: "reject" | "interrupt" | "rollback" | "enqueue";
            /**
             * If Not Exists
             * @default reject
             * @enum {string}
             */
            if_not_exists: "create" | "reject";
            /** After Seconds */
            after_seconds?: number | null;
            /**
             * On Disconnect
             * @default continue
             * @enum {string}
             */
            on_disconnect: "cancel" | "continue";
        };
        /** LgRunOut */
        LgRunOut: {
            /** Run Id */
            run_id: string;
            /** Thread Id */
            thread_id: string;
            /** Assistant Id */
            assistant_id: string;
            /** Created At */
            created_at: string;
            /** Updated At */
            updated_at: string;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "running" | "error" | "success" | "timeout" | "interrupted";
            /** Metadata */
            metadata: {
                [key: string]: unknown;
            };
            /**
             * Multitask Strategy
             * @default reject
             */
            multitask_strategy: string;
            /** Kwargs */
            kwargs?: {
                [key: string]: unknown;
            };
        };
        /** LgThreadCreate */
        LgThreadCreate: {
            /** Thread Id */
            thread_id?: string | null;
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /**
             * If Exists
             * @default raise
             * @enum {string}
             */
            if_exists: "raise" | "do_nothing";
            /**
             * Supersteps
             * @description not supported: a thread starts empty
             */
            supersteps?: null;
        };
        /**
         * LgThreadFound
         * @description A thread in search results: the fields `select` asked for (all of them by default).
         */
        LgThreadFound: {
            /** Thread Id */
            thread_id?: string | null;
            /** Created At */
            created_at?: string | null;
            /** Updated At */
            updated_at?: string | null;
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /** Status */
            status?: ("idle" | "busy" | "interrupted" | "error") | null;
            /** Values */
            values?: {
                [key: string]: unknown;
            } | null;
            /** Interrupts */
            interrupts?: {
                [key: string]: unknown[];
            } | null;
        };
        /** LgThreadOut */
        LgThreadOut: {
            /** Thread Id */
            thread_id: string;
            /** Created At */
            created_at: string;
            /** Updated At */
            updated_at: string;
            /** Metadata */
            metadata: {
                [key: string]: unknown;
            };
            /**
             * Status
             * @enum {string}
             */
            status: "idle" | "busy" | "interrupted" | "error";
            /** Values */
            values?: {
                [key: string]: unknown;
            } | null;
            /** Interrupts */
            interrupts?: {
                [key: string]: unknown[];
            };
        };
        /** LgThreadSearch */
        LgThreadSearch: {
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /**
             * Values
             * @description not supported: filter on metadata, ids or status
             */
            values?: null;
            /** Ids */
            ids?: string[] | null;
            /** Status */
            status?: ("idle" | "busy" | "interrupted" | "error") | null;
            /**
             * Limit
             * @default 10
             */
            limit: number;
            /**
             * Offset
             * @default 0
             */
            offset: number;
            /**
             * Sort By
             * @default updated_at
             * @enum {string}
             */
            sort_by: "thread_id" | "status" | "created_at" | "updated_at";
            /**
             * Sort Order
             * @default desc
             * @enum {string}
             */
            sort_order: "asc" | "desc";
            /** Select */
            select?: ("thread_id" | "created_at" | "updated_at" | "metadata" | "status" | "values" | "interrupts")[] | null;
        };
        /** LgThreadStateOut */
        LgThreadStateOut: {
            /** Values */
            values: {
                [key: string]: unknown;
            };
            /** Next */
            next?: string[];
            /** Tasks */
            tasks?: unknown[];
            checkpoint: components["schemas"]["LgCheckpoint"];
            parent_checkpoint: components["schemas"]["LgCheckpoint"] | null;
            /** Metadata */
            metadata: {
                [key: string]: unknown;
            };
            /** Created At */
            created_at: string | null;
            /** Interrupts */
            interrupts?: unknown[];
        };
        /** LimitOut */
        LimitOut: {
            /** Name */
            name: string;
            /** Description */
            description: string;
            /**
             * Limit
             * @description None: no limit
             */
            limit: number | null;
            /**
             * Used
             * @description None: not counted here (sandboxes are counted by the sandbox manager)
             */
            used: number | null;
            /**
             * Resets At
             * @description When one more is possible again, for a limit that is reached
             */
            resets_at: string | null;
        };
        /** LoadIn */
        LoadIn: {
            /** Dataset Id */
            dataset_id: string;
        };
        /** Loaded */
        Loaded: {
            /** Path */
            path: string;
            /** Rows */
            rows: number | null;
            /** Columns */
            columns: string[];
            /** Bytes */
            bytes: number;
        };
        /**
         * MapTilesOut
         * @description The base map of the web app's maps (MAP_TILES_URL, an XYZ template; "" = none) and its attribution.
         */
        MapTilesOut: {
            /** Url */
            url: string;
            /** Attribution */
            attribution: string;
        };
        /** MeOut */
        MeOut: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Auth Mode
             * @enum {string}
             */
            auth_mode: "local" | "token" | "oidc";
        };
        /**
         * MessageEvent
         * @description A message as stored (user, assistant or tool).
         */
        MessageEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message";
            message: components["schemas"]["MessageOut"];
        };
        /** MessageIn */
        MessageIn: {
            /** Content */
            content: string;
            /** Client Message Id */
            client_message_id?: string | null;
        };
        /** MessageList */
        MessageList: {
            /** Items */
            items: components["schemas"]["MessageOut"][];
        };
        /**
         * MessageOut
         * @description A stored chat message (the `messages` table) in the API shape.
         */
        MessageOut: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Role */
            role: string;
            /** Content */
            content: string;
            /** Tool Calls */
            tool_calls?: {
                [key: string]: unknown;
            }[] | null;
            /** Tool Call Id */
            tool_call_id?: string | null;
            /** Tool Name */
            tool_name?: string | null;
            /** Meta */
            meta?: {
                [key: string]: unknown;
            } | null;
            /** Run Id */
            run_id?: string | null;
            /** Artifacts */
            artifacts?: components["schemas"]["ArtifactOut"][];
            /** Created At */
            created_at: string;
            /** Receipts */
            receipts?: components["schemas"]["ReceiptOut"][];
            /** Unverified */
            unverified?: components["schemas"]["UnverifiedOut"][];
            review?: components["schemas"]["ReviewOut"] | null;
        };
        /** ModelOut */
        ModelOut: {
            /** Id */
            id: string;
            /** Provider */
            provider: string;
            /** Label */
            label: string;
        };
        /** MovedOut */
        MovedOut: {
            /** Old */
            old: string;
            /** New */
            new: string;
        };
        /**
         * OutputOut
         * @description One representation of one result; outputs sharing `bundle` are one value in several MIME types.
         */
        OutputOut: {
            /** Mime */
            mime: string;
            /** Data */
            data: string;
            /**
             * Bundle
             * @default 0
             */
            bundle: number;
            /**
             * Is Result
             * @default false
             */
            is_result: boolean;
        };
        /**
         * PlanEvent
         * @description The analyst's to-do list for a multi-step question (issue 15), as it stands after `update_plan`.
         */
        PlanEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "plan";
            /** Tool Call Id */
            tool_call_id?: string | null;
            /** Steps */
            steps: components["schemas"]["PlanStep"][];
        };
        /** PlanStep */
        PlanStep: {
            /** Text */
            text: string;
            /**
             * Status
             * @default pending
             * @enum {string}
             */
            status: "pending" | "in_progress" | "done";
        };
        /** Preview */
        Preview: {
            /** Columns */
            columns: string[];
            /** Rows */
            rows: unknown[][];
        };
        /** ProvenanceOut */
        ProvenanceOut: {
            artifact: components["schemas"]["ArtifactOut"];
            /** @description the cell that wrote it; null when no recorded cell did (an upload, an export) */
            execution: components["schemas"]["ExecutionOut"] | null;
            /**
             * Datasets
             * @description the datasets the cell names by path (datasets/<id>.parquet) or, when it names none, every dataset the thread had loaded by then; each at its latest load before the cell
             */
            datasets: components["schemas"]["DatasetLoadOut"][];
        };
        /** ProviderKeyIn */
        ProviderKeyIn: {
            /**
             * Key
             * @description the API key (printable ASCII, no spaces); stored encrypted and never returned
             */
            key: string;
            /**
             * Base Url
             * @description openai_compatible only (required there): the server's http(s) URL
             */
            base_url?: string | null;
        };
        /** ProviderKeyOut */
        ProviderKeyOut: {
            /**
             * Provider
             * @enum {string}
             */
            provider: "openai" | "anthropic" | "openai_compatible";
            /**
             * Last4
             * @description the key's last four characters
             */
            last4: string;
            /** Base Url */
            base_url: string | null;
            /**
             * Set At
             * Format: date-time
             */
            set_at: string;
            /**
             * Last Ok
             * @description whether the last model call with this key worked; None: unused
             */
            last_ok: boolean | null;
            /**
             * Last Error Code
             * @description e.g. MODEL_AUTH_FAILED when last_ok is false
             */
            last_error_code?: string | null;
        };
        /** ProviderKeysOut */
        ProviderKeysOut: {
            /** Items */
            items: components["schemas"]["ProviderKeyOut"][];
        };
        /**
         * ReceiptOut
         * @description A figure of an answer and where it came from (issue 15): `value` is the number meant
         *     ("7,51 milioni" → 7510000), `start`/`end` its place in `content`, `execution_id` the cell that printed it
         *     (None for a dataset's metadata), `dataset_ids` the portal datasets behind it.
         */
        ReceiptOut: {
            /** Text */
            text: string;
            /** Value */
            value: number;
            /** Execution Id */
            execution_id?: string | null;
            /** Dataset Ids */
            dataset_ids?: string[];
            /** Start */
            start: number;
            /** End */
            end: number;
        };
        /** RegenerateIn */
        RegenerateIn: {
            /** Client Message Id */
            client_message_id?: string | null;
        };
        /** RerunOut */
        RerunOut: {
            /**
             * Thread Id
             * Format: uuid
             * @description the new thread holding the re-run
             */
            thread_id: string;
            /** Unchanged */
            unchanged: boolean;
            /** Changes */
            changes: components["schemas"]["ChangeOut"][];
            /** Datasets */
            datasets: components["schemas"]["DatasetVersionOut"][];
            /** Cells */
            cells: number;
            /**
             * Duration Ms
             * @description the cells' re-run, in all
             */
            duration_ms: number;
            /**
             * Original Ms
             * @description the recorded cells' durations, summed
             */
            original_ms: number;
            /**
             * Download Ms
             * @description loading the datasets again
             */
            download_ms: number;
            /**
             * Message
             * @description the new thread's first message: the same report in words
             */
            message: string;
        };
        /**
         * ResumeIn
         * @description The user's answer to a report draft: approve it, replace it with `text` (then asked again), or reject
         *     it.
         */
        ResumeIn: {
            /**
             * Decision
             * @enum {string}
             */
            decision: "approve" | "edit" | "reject";
            /** Text */
            text?: string | null;
        };
        /**
         * ReviewEvent
         * @description The reviewer scored the answer just written. With verdict `revise` it went back to the analyst: the
         *     text streamed since the last stored message is a draft the next answer replaces (as with answer_check).
         */
        ReviewEvent: {
            /**
             * Agent
             * @default reviewer
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "review";
            review: components["schemas"]["ReviewOut"];
        };
        /**
         * ReviewOut
         * @description The reviewer's scores of an answer (issue 15, docs/reviewer.md): `completeness` and `relevancy` 1-5
         *     (None when skipped); `verdict` pass (at or above both minimums), revise (sent back to the analyst with
         *     `critique`), low (let through below a minimum: no reroute left) or skipped (the review failed or timed
         *     out); `reroutes` how many times this turn's answer was sent back by the reviewer, this verdict
         *     included.
         */
        ReviewOut: {
            /** Completeness */
            completeness?: number | null;
            /** Relevancy */
            relevancy?: number | null;
            /**
             * Verdict
             * @enum {string}
             */
            verdict: "pass" | "revise" | "low" | "skipped";
            /**
             * Reroutes
             * @default 0
             */
            reroutes: number;
            /** Critique */
            critique?: string | null;
        };
        /** RunStartedEvent */
        RunStartedEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run_started";
            /**
             * Run Id
             * Format: uuid
             */
            run_id: string;
        };
        /**
         * SearchMatch
         * @description Where a thread matched `q`: plain text (never markup) around the first hit, and the hits in it.
         */
        SearchMatch: {
            /** Text */
            text: string;
            /**
             * Ranges
             * @description each hit as [start, end) offsets into `text`, counted in Unicode code points
             */
            ranges: [
                number,
                number
            ][];
            /**
             * Field
             * @enum {string}
             */
            field: "title" | "message";
            /** Message Id */
            message_id?: string | null;
            /** Role */
            role?: string | null;
            /**
             * Earlier Version
             * @description the hit is in an earlier version of an exchange (edited or regenerated)
             * @default false
             */
            earlier_version: boolean;
        };
        /** ShareOut */
        ShareOut: {
            /** Token */
            token: string;
            /** Url */
            url: string;
            /** Created At */
            created_at: string;
        };
        /** SharedThreadOut */
        SharedThreadOut: {
            /** Title */
            title: string;
            /** Shared At */
            shared_at: string;
            /** Items */
            items: components["schemas"]["MessageOut"][];
        };
        /** SignInIn */
        SignInIn: {
            /**
             * Token
             * @description an API token, as `lgurban users create NAME` prints it
             */
            token: string;
        };
        /** StateOut */
        StateOut: {
            context: components["schemas"]["ContextOut"];
            /** Running */
            running: boolean;
            /** Run Id */
            run_id: string | null;
            approval?: components["schemas"]["ApprovalOut"] | null;
        };
        /** ThreadConfig */
        ThreadConfig: {
            /** Model */
            model: string;
            /** Temperature */
            temperature: number;
            /** System Prompt */
            system_prompt: string | null;
            /** Context Window */
            context_window: number;
            /**
             * Reviewer
             * @default true
             */
            reviewer: boolean;
        };
        /**
         * ThreadConfigIn
         * @description A (partial) thread configuration; unknown keys are refused.
         */
        ThreadConfigIn: {
            /** Model */
            model?: string | null;
            /** Temperature */
            temperature?: number | null;
            /** System Prompt */
            system_prompt?: string | null;
            /** Context Window */
            context_window?: number | null;
            /** Reviewer */
            reviewer?: boolean | null;
        };
        /** ThreadCreate */
        ThreadCreate: {
            /** Title */
            title?: string | null;
            config?: components["schemas"]["ThreadConfigIn"] | null;
        };
        /** ThreadDatasets */
        ThreadDatasets: {
            /** Available */
            available: components["schemas"]["AvailableOut"][];
            /** Files */
            files: components["schemas"]["WorkspaceFileOut"][];
        };
        /** ThreadList */
        ThreadList: {
            /** Items */
            items: components["schemas"]["ThreadListItem"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** ThreadListItem */
        ThreadListItem: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Title */
            title: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Archived At */
            archived_at: string | null;
            config: components["schemas"]["ThreadConfig"];
            /** @description only when the list was searched (`q`) */
            match?: components["schemas"]["SearchMatch"] | null;
        };
        /** ThreadOut */
        ThreadOut: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Title */
            title: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Archived At */
            archived_at: string | null;
            config: components["schemas"]["ThreadConfig"];
        };
        /** ThreadUpdate */
        ThreadUpdate: {
            /** Title */
            title?: string | null;
            /** Archived */
            archived?: boolean | null;
            config?: components["schemas"]["ThreadConfigIn"] | null;
        };
        /** TimeCoverage */
        TimeCoverage: {
            /** Field */
            field: string;
            /** Start */
            start?: unknown;
            /** End */
            end?: unknown;
        };
        /**
         * TokenEvent
         * @description Text of the model's reply as it is written.
         */
        TokenEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "token";
            /** Text */
            text: string;
        };
        /** ToolEndEvent */
        ToolEndEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_end";
            /** Tool Call Id */
            tool_call_id: string;
            /** Name */
            name: string;
            /** Ok */
            ok: boolean;
            /** Summary */
            summary: string;
        };
        /**
         * ToolOutputEvent
         * @description Live output of running code.
         */
        ToolOutputEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_output";
            /** Tool Call Id */
            tool_call_id: string;
            /**
             * Stream
             * @enum {string}
             */
            stream: "stdout" | "stderr";
            /** Text */
            text: string;
        };
        /** ToolStartEvent */
        ToolStartEvent: {
            /**
             * Agent
             * @default analyst
             */
            agent: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_start";
            /** Tool Call Id */
            tool_call_id: string;
            /** Name */
            name: string;
            /** Args */
            args?: {
                [key: string]: unknown;
            };
        };
        /**
         * UnverifiedOut
         * @description A figure of an answer that no tool output of the thread shows.
         */
        UnverifiedOut: {
            /** Text */
            text: string;
            /** Start */
            start: number;
            /** End */
            end: number;
        };
        /** UploadOut */
        UploadOut: {
            /** Path */
            path: string;
            /** Size */
            size: number;
            /**
             * Modified At
             * Format: date-time
             */
            modified_at: string;
            /** Bytes */
            bytes: number;
        };
        /** UsageOut */
        UsageOut: {
            /** Limits */
            limits: components["schemas"]["LimitOut"][];
        };
        /** ValidationError */
        ValidationError: {
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
            /** Input */
            input?: unknown;
            /** Context */
            ctx?: Record<string, never>;
        };
        /** ValidationErrorItem */
        ValidationErrorItem: {
            /** Type */
            type: string;
            /** Loc */
            loc: (string | number)[];
            /** Msg */
            msg: string;
        };
        /** ValidationErrorOut */
        ValidationErrorOut: {
            error: components["schemas"]["ErrorBody"];
            /** Detail */
            detail?: components["schemas"]["ValidationErrorItem"][];
        };
        /** WorkspaceFileOut */
        WorkspaceFileOut: {
            /** Path */
            path: string;
            /** Size */
            size: number;
            /** Modified At */
            modified_at?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health_api_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
        };
    };
    list_threads_api_threads_get: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string | null;
                include_archived?: boolean;
                /** @description Words (or word prefixes) that must all appear in the title or a message, any case; punctuation and search operators are plain separators */
                q?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_thread_api_threads_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_thread_api_threads__thread_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_thread_api_threads__thread_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_thread_api_threads__thread_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    config_defaults_api_config_defaults_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigDefaults"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    execute_api_threads__thread_id__execute_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExecuteIn"];
            };
        };
        responses: {
            /** @description The execution; or, with `Accept: text/event-stream`, its SSE stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionOut"];
                    "text/event-stream": string;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    executions_api_threads__thread_id__executions_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    restart_api_threads__thread_id__sandbox_restart_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    files_api_threads__thread_id__files_get: {
        parameters: {
            query?: {
                /** @description only files under this folder */
                path?: string | null;
            };
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    upload_file_api_threads__thread_id__files_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    /** @description where in the workspace (relative); default uploads/<file name> */
                    path?: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    read_file_api_threads__thread_id__files__path__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_artifacts_api_threads__thread_id__artifacts_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_artifact_api_artifacts__artifact_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    artifact_provenance_api_artifacts__artifact_id__provenance_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProvenanceOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    download_artifact_api_artifacts__artifact_id__download_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description redirect to a signed download URL */
            307: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description gone: ARTIFACT_EXPIRED (the object store no longer has the file) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_file_api_threads__thread_id__exports_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    search_datasets_api_datasets_get: {
        parameters: {
            query?: {
                q?: string;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_dataset_api_datasets__dataset_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDetail"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    preview_dataset_api_datasets__dataset_id__preview_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preview"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    dataset_geojson_api_datasets__dataset_id__geojson_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GeoPreviewOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    thread_datasets_api_threads__thread_id__datasets_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadDatasets"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    load_dataset_api_threads__thread_id__datasets_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoadIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Loaded"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_messages_api_threads__thread_id__messages_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageList"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    post_message_api_threads__thread_id__messages_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageIn"];
            };
        };
        responses: {
            /** @description the run's events, one ChatEvent per SSE frame */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ChatEvent"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edit_message_api_threads__thread_id__messages__message_id__edit_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EditIn"];
            };
        };
        responses: {
            /** @description the new run's events, one ChatEvent per SSE frame */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ChatEvent"];
                };
            };
            /** @description NOT_LAST_USER_MESSAGE / NOT_LAST_ANSWER: only the last exchange can be redone */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description THREAD_NOT_FOUND or MESSAGE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    regenerate_api_threads__thread_id__messages__message_id__regenerate_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RegenerateIn"] | null;
            };
        };
        responses: {
            /** @description the new run's events, one ChatEvent per SSE frame */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ChatEvent"];
                };
            };
            /** @description NOT_LAST_USER_MESSAGE / NOT_LAST_ANSWER: only the last exchange can be redone */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description THREAD_NOT_FOUND or MESSAGE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    attach_api_threads__thread_id__runs_active_events_get: {
        parameters: {
            query?: {
                after?: number | null;
            };
            header?: {
                "last-event-id"?: string | null;
            };
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the running run's events, one ChatEvent per SSE frame */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ChatEvent"];
                };
            };
            /** @description no run is active on this thread */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    resume_run_api_threads__thread_id__runs_resume_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResumeIn"];
            };
        };
        responses: {
            /** @description the resumed run's events, one ChatEvent per SSE frame */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ChatEvent"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description NO_PENDING_APPROVAL: no report draft waits; RUN_IN_PROGRESS: a run is going */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR: an unknown decision, or an edit without text */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    cancel_run_api_threads__thread_id__runs_cancel_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    thread_state_api_threads__thread_id__state_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StateOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_thread_api_threads__thread_id__export_get: {
        parameters: {
            query?: {
                /** @description ipynb (Jupyter), py (percent-cell script), html or md (Markdown) */
                format?: "ipynb" | "py" | "html" | "md";
            };
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the thread as a notebook, a script, HTML or Markdown (a download) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    rerun_thread_api_threads__thread_id__rerun_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RerunOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    fork_api_threads__thread_id__fork_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForkIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForkOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description the open-data portal timed out */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_share_api_threads__thread_id__share_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    share_thread_api_threads__thread_id__share_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    revoke_share_api_threads__thread_id__share_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    shared_thread_api_shared__token__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharedThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description gone: ARTIFACT_EXPIRED (the object store no longer has the file) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    shared_artifact_api_shared__token__artifacts__artifact_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description redirect to a signed download URL */
            307: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description gone: ARTIFACT_EXPIRED (the object store no longer has the file) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_session_api_auth_session_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignInIn"];
            };
        };
        responses: {
            /** @description signed in: session and csrf_token cookies set */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_session_api_auth_session_delete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out: the session is revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    me_api_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    auth_config_api_auth_config_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfigOut"];
                };
            };
        };
    };
    oidc_login_api_auth_oidc_login_get: {
        parameters: {
            query?: {
                next?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description to the provider's sign-in page */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    oidc_callback_api_auth_oidc_callback_get: {
        parameters: {
            query?: {
                code?: string | null;
                state?: string | null;
                error?: string | null;
                error_description?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed in: session and csrf_token cookies set, to the web app */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a browser's refused sign-in: to the web app with ?sign_in_error=CODE */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    my_usage_api_me_usage_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_provider_keys_api_me_provider_keys_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderKeysOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    put_provider_key_api_me_provider_keys__provider__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "openai" | "anthropic" | "openai_compatible";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderKeyIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderKeyOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_provider_key_api_me_provider_keys__provider__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "openai" | "anthropic" | "openai_compatible";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description FORBIDDEN (CSRF_FAILED: a cookie-authenticated change without X-CSRF-Token) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    info_langgraph_info_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    search_assistants_langgraph_assistants_search_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgAssistantSearch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgAssistantOut"][];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_assistant_langgraph_assistants__assistant_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                assistant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgAssistantOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_thread_langgraph_threads_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgThreadCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_thread_langgraph_threads__thread_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_thread_langgraph_threads__thread_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    search_threads_langgraph_threads_search_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgThreadSearch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadFound"][];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_state_langgraph_threads__thread_id__state_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadStateOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_state_at_langgraph_threads__thread_id__state__checkpoint_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                checkpoint_id: string;
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadStateOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_history_langgraph_threads__thread_id__history_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgHistoryIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgThreadStateOut"][];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_runs_langgraph_threads__thread_id__runs_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                status?: ("pending" | "running" | "error" | "success" | "timeout" | "interrupted") | null;
            };
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgRunOut"][];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_run_langgraph_threads__thread_id__runs_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgRunCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgRunOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    stream_run_langgraph_threads__thread_id__runs_stream_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgRunCreate"];
            };
        };
        responses: {
            /** @description LangGraph API server-sent events (metadata, values, updates, messages, end) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    wait_run_langgraph_threads__thread_id__runs_wait_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LgRunCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_run_langgraph_threads__thread_id__runs__run_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LgRunOut"];
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    cancel_run_langgraph_threads__thread_id__runs__run_id__cancel_post: {
        parameters: {
            query?: {
                wait?: boolean;
                action?: string;
            };
            header?: never;
            path: {
                run_id: string;
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description with wait=1: the run has ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    join_run_langgraph_threads__thread_id__runs__run_id__join_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    join_stream_langgraph_threads__thread_id__runs__run_id__stream_get: {
        parameters: {
            query?: {
                stream_mode?: string[] | null;
                cancel_on_disconnect?: boolean;
            };
            header?: {
                "last-event-id"?: string | null;
            };
            path: {
                run_id: string;
                thread_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description LangGraph API server-sent events (metadata, values, updates, messages, end) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description bad request (e.g. INVALID_PATH, an unknown cursor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description not found (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description conflict (e.g. RUN_IN_PROGRESS, THREAD_ARCHIVED, PROVIDER_KEY_REQUIRED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is over this route's cap */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description VALIDATION_ERROR, INVALID_TEXT, INVALID_CONFIG or INVALID_PROVIDER_KEY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description too many requests (TOO_MANY_SIGN_INS: failed sign-ins from this address) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description a part is unavailable (DATABASE_UNAVAILABLE, SANDBOX_UNAVAILABLE, MODEL_NOT_CONFIGURED, ...) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
}
