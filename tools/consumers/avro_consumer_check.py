#!/usr/bin/python3
"""Shows what the legacy confluent_kafka.avro.AvroConsumer (Debian's python3-confluent-kafka 1.7)
does with a mediaflow topic: it decodes keys as Confluent Avro too, and our keys are plain UTF-8
strings, so every poll fails. PythonConsumerIT runs it so the README's warning stays true.
Prints one JSON line: {"decoded": N, "errors": N, "first_error": "..."}.
"""
import argparse
import json
import time
import uuid

from confluent_kafka.avro import AvroConsumer
from confluent_kafka.avro.serializer import SerializerError


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--registry", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--attempts", type=int, default=20)
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()

    consumer = AvroConsumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "python-avroconsumer-check-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "schema.registry.url": args.registry,
    })
    consumer.subscribe([args.topic])
    decoded, errors, first_error = 0, 0, None
    deadline = time.time() + args.timeout
    try:
        while decoded + errors < args.attempts and time.time() < deadline:
            try:
                msg = consumer.poll(1.0)
            except SerializerError as e:
                errors += 1
                first_error = first_error or str(e)
                continue
            if msg is not None and not msg.error():
                decoded += 1
    finally:
        consumer.close()
    print(json.dumps({"decoded": decoded, "errors": errors, "first_error": first_error}), flush=True)


if __name__ == "__main__":
    main()
