CREATE FUNCTION "gateway".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "gateway"."audit_log"
  FOR EACH ROW EXECUTE FUNCTION "gateway".audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "gateway"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "gateway".audit_log_append_only();
