import json
import unittest

import lakestep as rt
from spark_fakes import PARAMS, Harness

ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:msk"
STEP = {"kind": "kafka", "name": "order-events", "bootstrapServersSecretArn": ARN,
        "topics": ["orders.events", "orders.returns"], "startingOffsets": "earliest",
        "startingTimestampParameter": "start_ts", "checkpoint": "s3://raw/checkpoints/order-events/",
        "format": "json", "schemaDdl": "order_id BIGINT, op STRING, event_ts TIMESTAMP",
        "view": "batch_order_events", "trigger": "available_now",
        "target": "c.raw_orders.order_events",
        "selectSql": "SELECT order_id, op, event_ts FROM batch_order_events WHERE _lakestep_corrupt IS NULL",
        "deadLetter": {"target": "c.raw_orders.order_events_dead_letter",
                       "selectSql": "SELECT _kafka.value AS value FROM batch_order_events WHERE _lakestep_corrupt IS NOT NULL"}}


class KafkaOptionsTest(unittest.TestCase):
    def test_options_without_starting_timestamp_when_parameter_is_empty(self):
        for params in ({**PARAMS, "start_ts": ""}, PARAMS):
            self.assertEqual(rt.kafka_options(STEP, "b1:9098,b2:9098", params), {
                "kafka.bootstrap.servers": "b1:9098,b2:9098",
                "subscribe": "orders.events,orders.returns",
                "startingOffsets": "earliest",
            })

    def test_starting_timestamp_in_epoch_millis_when_parameter_is_set(self):
        options = rt.kafka_options(STEP, "b:9092", {**PARAMS, "start_ts": "2026-11-26T06:00:00.250Z"})
        self.assertEqual(options["startingTimestamp"], "1795672800250")
        self.assertEqual(options["startingOffsetsByTimestampStrategy"], "latest")

    def test_invalid_starting_timestamp_or_topic_is_refused(self):
        with self.assertRaises(rt.JobError):
            rt.kafka_options(STEP, "b:9092", {**PARAMS, "start_ts": "soon"})
        with self.assertRaises(rt.JobError):
            rt.kafka_options({**STEP, "topics": ["a,b"]}, "b:9092", PARAMS)

    def test_bootstrap_servers_from_json_or_plain_secret(self):
        self.assertEqual(rt.bootstrap_servers(json.dumps({"bootstrap_servers": "b1:9096"})), "b1:9096")
        self.assertEqual(rt.bootstrap_servers(" b1:9092,b2:9092\n"), "b1:9092,b2:9092")
        with self.assertRaises(rt.JobError):
            rt.bootstrap_servers(json.dumps({"brokers": "x"}))


    def test_secret_may_carry_kafka_client_settings(self):
        secret = json.dumps({"bootstrap_servers": "b:9094", "options": {"kafka.security.protocol": "SSL"}})
        self.assertEqual(rt.secret_kafka_options(secret), {"kafka.security.protocol": "SSL"})
        self.assertEqual(rt.secret_kafka_options("b:9092"), {})
        for options in ({"subscribe": "other"}, {"kafka.bootstrap.servers": "x"}, ["kafka.a"]):
            with self.subTest(options=options), self.assertRaises(rt.JobError):
                rt.secret_kafka_options(json.dumps({"bootstrap_servers": "b", "options": options}))


class KafkaStepTest(unittest.TestCase):
    def run_step(self, step, params=PARAMS, batches=None):
        h = Harness(secrets={ARN: json.dumps({"bootstrap_servers": "b1:9096"})})
        h.spark.stream_batches = batches if batches is not None else [[(1,), (2,)], [(3,)]]
        rows = rt.step_kafka(h.context(params), step)
        return h, rows

    def test_available_now_appends_each_batch_with_its_id(self):
        h, rows = self.run_step(STEP)
        self.assertEqual(rows, 3)
        [reader] = h.spark.readers
        self.assertEqual(reader.fmt, "kafka")
        self.assertEqual(reader.options["subscribe"], "orders.events,orders.returns")
        [writer] = h.spark.writers
        self.assertEqual(writer.triggers, {"availableNow": True})
        self.assertEqual(writer.options, {"checkpointLocation": "s3://raw/checkpoints/order-events/"})
        self.assertEqual(len(h.spark.batch_sessions), 2)
        for batch_id, (session, size) in enumerate(zip(h.spark.batch_sessions, (2, 1))):
            self.assertEqual(session.views["batch_order_events"].count(), size)
            self.assertEqual([t for t, _, _ in session.appends], [STEP["target"], STEP["deadLetter"]["target"]])
            for _, options, _ in session.appends:
                self.assertEqual(options, {"snapshot-property.lakestep.stream": STEP["checkpoint"],
                                           "snapshot-property.lakestep.batch-id": str(batch_id)})
        self.assertEqual(h.spark.calls, [])

    def test_a_batch_already_committed_is_skipped(self):
        from spark_fakes import FakeFrame, FakeSpark
        session = FakeSpark()
        session.results[".snapshots"] = FakeFrame(session, rows=[(4,)])
        self.assertFalse(rt.append_batch(session, STEP["target"], STEP["selectSql"], "cp", 4))
        self.assertTrue(rt.append_batch(session, STEP["target"], STEP["selectSql"], "cp", 5))
        self.assertEqual([t for t, _, _ in session.appends], [STEP["target"]])
        # Main's snapshots only: a batch on a kept audit branch was never published.
        self.assertIn(("SELECT max(CAST(s.summary['lakestep.batch-id'] AS BIGINT)) FROM c.raw_orders.order_events.snapshots s"
                       " JOIN c.raw_orders.order_events.history h ON s.snapshot_id = h.snapshot_id"
                       " WHERE h.is_current_ancestor AND s.summary['lakestep.stream'] = :stream", {"stream": "cp"}), session.calls)

    def test_a_batch_recorded_in_the_table_properties_is_skipped(self):
        # What maintenance carried forward before it expired the snapshot that recorded the batch.
        from spark_fakes import FakeFrame, FakeSpark
        session = FakeSpark()
        session.results["SHOW TBLPROPERTIES"] = FakeFrame(session, rows=[(rt.record_key("cp"), "7"), (rt.record_key("other"), "99")])
        self.assertFalse(rt.append_batch(session, STEP["target"], STEP["selectSql"], "cp", 7))
        self.assertTrue(rt.append_batch(session, STEP["target"], STEP["selectSql"], "cp", 8))
        self.assertEqual(len(session.appends), 1)

    def test_secret_settings_reach_the_reader_and_are_not_logged(self):
        jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"k-pass\";"
        secret = json.dumps({"bootstrap_servers": "b:9096", "options": {"kafka.sasl.jaas.config": jaas}})
        h = Harness(secrets={ARN: secret})
        rt.run_job({"job": "j", "steps": [STEP]}, PARAMS, h.runtime, h.spark)
        self.assertEqual(h.spark.readers[0].options["kafka.sasl.jaas.config"], jaas)
        self.assertEqual(h.spark.readers[0].options["kafka.bootstrap.servers"], "b:9096")
        self.assertFalse(any("k-pass" in line for line in h.lines))

    def test_continuous_uses_a_processing_time_trigger(self):
        h, _ = self.run_step({**STEP, "trigger": "continuous"}, batches=[])
        self.assertEqual(h.spark.writers[0].triggers, {"processingTime": rt.CONTINUOUS_TRIGGER})

    def test_avro_is_refused(self):
        with self.assertRaisesRegex(rt.JobError, "avro"):
            self.run_step({**STEP, "format": "avro"})


class DecodeTest(unittest.TestCase):
    def test_json_and_raw_projections(self):
        from spark_fakes import FakeFunctions, FakeSpark, FakeStream
        stream = rt.decode_stream(FakeStream(FakeSpark()), STEP, FakeFunctions)
        options = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": "_lakestep_corrupt"}
        record = "struct(" + ", ".join(rt.RECORD_FIELDS) + ") AS _kafka"
        self.assertEqual(stream.projections, [
            ("select", f"from_json(CAST(value AS string), {STEP['schemaDdl']}, `_lakestep_corrupt` STRING, {options}) AS data",
             record),
            ("select", "data.*", "_kafka"),
        ])
        raw = rt.decode_stream(FakeStream(FakeSpark()), {**STEP, "format": "raw"}, FakeFunctions)
        self.assertEqual(raw.projections[0][1:3], ("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value"))

    def test_json_without_schema_is_refused(self):
        from spark_fakes import FakeFunctions, FakeSpark, FakeStream
        with self.assertRaisesRegex(rt.JobError, "schemaDdl"):
            rt.decode_stream(FakeStream(FakeSpark()), {**STEP, "schemaDdl": None}, FakeFunctions)


if __name__ == "__main__":
    unittest.main()
