import unittest

import lakestep as rt
from spark_fakes import PARAMS, Harness


class MarkerTest(unittest.TestCase):
    def test_finds_markers_outside_literals_comments_and_casts(self):
        sql = "SELECT :a, ':b', \"x:c\", `:d`, y::int -- :e\n/* :f */ FROM t WHERE z = :g AND w = :a"
        self.assertEqual(rt.parameter_markers(sql), ["a", "g"])

    def test_escaped_quote_in_literal_does_not_end_it(self):
        self.assertEqual(rt.parameter_markers(r"SELECT 'it\'s :x', :y"), ["y"])

    def test_binds_only_markers_present(self):
        args = rt.bind_args("SELECT * FROM t WHERE ds = :ds", {**PARAMS, "watermark": ""})
        self.assertEqual(args, {"ds": "2026-11-26"})

    def test_unbound_marker_is_an_error(self):
        with self.assertRaisesRegex(rt.JobError, ":nope"):
            rt.bind_args("SELECT :nope", PARAMS)

    def test_run_sql_passes_no_args_when_there_are_no_markers(self):
        h = Harness()
        rt.run_sql(h.spark, "CREATE TABLE IF NOT EXISTS c.db.t (id BIGINT) USING iceberg", PARAMS)
        rt.run_sql(h.spark, "DELETE FROM c.db.t WHERE ds = :ds", PARAMS)
        self.assertEqual(h.spark.calls[0][1], None)
        self.assertEqual(h.spark.calls[1][1], {"ds": "2026-11-26"})


class CutoffTest(unittest.TestCase):
    def test_cutoffs_are_ts_minus_seconds_in_utc(self):
        self.assertEqual(
            rt.cutoff_values("2026-11-26T06:00:00Z", {"cutoff_expire": 604800, "now": 0}),
            {"cutoff_expire": "2026-11-19 06:00:00", "now": "2026-11-26 06:00:00"},
        )

    def test_offset_timestamps_are_converted_to_utc(self):
        self.assertEqual(rt.cutoff_values("2026-11-26T08:00:00+02:00", {"c": 3600}), {"c": "2026-11-26 05:00:00"})

    def test_cutoffs_are_bound_as_parameters(self):
        h = Harness()
        step = {"kind": "sql", "name": "hard-delete", "sql": "DELETE FROM c.db.t WHERE updated_at < CAST(:cutoff_delete AS TIMESTAMP)",
                "cutoffs": {"cutoff_delete": 86400}}
        rt.step_sql(h.context(PARAMS), step)
        self.assertEqual(h.spark.calls, [(step["sql"], {"cutoff_delete": "2026-11-25 06:00:00"})])

    def test_cutoff_may_not_shadow_a_run_parameter(self):
        step = {"kind": "sql", "name": "s", "sql": "SELECT :ds", "cutoffs": {"ds": 1}}
        with self.assertRaisesRegex(rt.JobError, "shadow"):
            rt.step_sql(Harness().context(PARAMS), step)


class CallTest(unittest.TestCase):
    SQL = ("/* maintenance */\n  call c.system.expire_snapshots(table => 'db.t', "
           "older_than => TIMESTAMP :cutoff_expire, retain_last => 10)")

    def test_detects_call_after_comments(self):
        self.assertTrue(rt.is_call(self.SQL))
        self.assertTrue(rt.is_call("-- x\nCALL c.system.rewrite_manifests('db.t')"))
        self.assertFalse(rt.is_call("SELECT 'CALL'"))
        self.assertFalse(rt.is_call("CALLER"))

    def test_inlines_cutoffs_in_call_without_args(self):
        h = Harness()
        rt.step_sql(h.context(PARAMS), {"kind": "sql", "name": "expire", "sql": self.SQL,
                                         "cutoffs": {"cutoff_expire": 604800}})
        [(sql, args)] = h.spark.calls
        self.assertIsNone(args)
        self.assertIn("older_than => TIMESTAMP '2026-11-19 06:00:00', retain_last", sql)
        self.assertNotIn(":cutoff_expire", sql)

    def test_cutoffs_from_now_count_back_from_the_step_start(self):
        from datetime import datetime, timezone

        h = Harness()
        ctx = h.context(PARAMS)
        ctx.runtime.now = lambda: datetime(2026, 11, 27, 9, 30, 5, 250000, tzinfo=timezone.utc)
        rt.step_sql(ctx, {"kind": "sql", "name": "expire", "sql": self.SQL, "cutoffs": {"cutoff_expire": 5},
                          "cutoffsFrom": "now"})
        # 09:30:05.25 rounded up to 09:30:06, minus 5 seconds.
        self.assertIn("older_than => TIMESTAMP '2026-11-27 09:30:01', retain_last", h.spark.calls[0][0])

    def test_refuses_other_markers_in_call(self):
        h = Harness()
        step = {"kind": "sql", "name": "expire", "cutoffs": {"cutoff_expire": 1},
                "sql": "CALL c.system.expire_snapshots(table => :ds, older_than => TIMESTAMP :cutoff_expire)"}
        with self.assertRaisesRegex(rt.JobError, ":ds"):
            rt.step_sql(h.context(PARAMS), step)
        self.assertEqual(h.spark.calls, [])

    def test_markers_inside_call_literals_are_left_alone(self):
        self.assertEqual(rt.inline_cutoffs("CALL p(a => 'x:y')", {}), "CALL p(a => 'x:y')")


if __name__ == "__main__":
    unittest.main()
