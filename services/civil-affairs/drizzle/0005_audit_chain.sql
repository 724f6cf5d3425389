CREATE TABLE "civil_affairs"."audit_chain" (
	"position" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "civil_affairs"."audit_chain_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"log" text NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_chain_log_seq" UNIQUE("log","seq")
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."audit_chain_state" (
	"log" text NOT NULL,
	"last_xid" "xid8",
	"last_seq" bigint,
	"position" bigint,
	"head" text,
	"anchor_position" bigint,
	"anchor_hash" text,
	CONSTRAINT "audit_chain_state_pk" PRIMARY KEY("log")
);
--> statement-breakpoint
ALTER TABLE "civil_affairs"."audit_log" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_chain_log_idx" ON "civil_affairs"."audit_chain" USING btree ("log","position");--> statement-breakpoint
CREATE INDEX "audit_xid_idx" ON "civil_affairs"."audit_log" USING btree ("xid","seq");