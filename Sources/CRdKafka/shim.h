// The librdkafka headers MIAKafka wraps. Only MIAKafka imports this module.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
