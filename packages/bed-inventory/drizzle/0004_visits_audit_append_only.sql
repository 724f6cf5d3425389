CREATE FUNCTION "bed_inventory".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "bed_inventory"."audit_log"
  FOR EACH ROW EXECUTE FUNCTION "bed_inventory".audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "bed_inventory"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "bed_inventory".audit_log_append_only();
