#!/usr/bin/python3
"""Reads a mediaflow topic with a stock Confluent client, to prove that any
Confluent-compatible consumer plugs into our topics (Confluent wire format + registry).

Uses Debian's python3-confluent-kafka (1.7): a plain Consumer whose values are decoded by
the library's own Confluent Avro MessageSerializer and registry client (python3-avro).
Keys are plain UTF-8 strings (the item identity), read as a StringDeserializer would; the
legacy AvroConsumer cannot be used as is because it insists on Avro keys too.
Prints one JSON line per record: {"key": ..., "identity": {...}, "schema_id": N}, then a
final {"count": N}. Exits after --count records or --timeout seconds.

    /usr/bin/python3 tools/consumers/read_topic.py --bootstrap 127.0.0.1:9092 \
        --registry http://127.0.0.1:8081/apis/ccompat/v7 --topic mediaflow.media.raw --count 10
"""
import argparse
import json
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--registry", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()

    values = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry}))
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "python-check-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "fetch.message.max.bytes": 67108864,
    })
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.time() + args.timeout
    try:
        while seen < args.count and time.time() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print(json.dumps({"error": str(msg.error())}), flush=True)
                continue
            value = values.decode_message(msg.value())
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            print(json.dumps({"key": key, "identity": value["identity"]}), flush=True)
            seen += 1
    finally:
        consumer.close()
    print(json.dumps({"count": seen}), flush=True)


if __name__ == "__main__":
    main()
