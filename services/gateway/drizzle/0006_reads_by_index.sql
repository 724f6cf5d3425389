-- The audit trail of an object or an actor is read newest first: indexed by object and by actor with the log's order. A user's live refresh tokens are found by index.
DROP INDEX "gateway"."audit_object_idx";--> statement-breakpoint
DROP INDEX "gateway"."audit_actor_idx";--> statement-breakpoint
CREATE INDEX "refresh_tokens_live_user_idx" ON "gateway"."refresh_tokens" USING btree ("user_id") WHERE revoked_at is null and replaced_at is null;--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "gateway"."audit_log" USING btree ("object_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "gateway"."audit_log" USING btree ("actor","seq");
