CREATE OR REPLACE FUNCTION "bed_inventory".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('fbl.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON "bed_inventory"."audit_chain"
  FOR EACH ROW EXECUTE FUNCTION "bed_inventory".audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON "bed_inventory"."audit_chain"
  FOR EACH STATEMENT EXECUTE FUNCTION "bed_inventory".audit_log_append_only();
