"""Train word2vec on Spark MLlib and save the model for `embx open/info/convert`.

    spark-submit scripts/spark-train.py CORPUS OUT_DIR [--master local[*]] [--vector-size 100]
    python scripts/spark-train.py corpus.txt model/ --master local[2]      # pyspark installed

CORPUS is text, one sentence a line, tokens separated by whitespace (a local path, or any
path Spark reads: hdfs://, s3a://, a directory of part files). On a cluster, pass its URL to
--master (spark://host:7077, yarn, k8s://...) or leave --master out under spark-submit.
OUT_DIR receives a Spark ML Word2VecModel directory (metadata/ + data/*.parquet), which
embx reads directly:

    embx info OUT_DIR
    embx convert OUT_DIR vectors.fifu
"""
import argparse
import json

from pyspark.ml.feature import Word2Vec
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, split, trim


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    ap.add_argument("--vector-size", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--max-iter", type=int, default=1)
    ap.add_argument("--partitions", type=int, default=1, help="training partitions (more is faster, less exact)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--synonyms", nargs="*", default=[], help="print Spark's 5 nearest words of these, as JSON")
    args = ap.parse_args()

    builder = SparkSession.builder.appName("embx-word2vec")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    lines = spark.read.text(args.corpus)
    sentences = lines.select(split(trim(col("value")), r"\s+").alias("tokens")).where("size(tokens) > 0")
    w2v = Word2Vec(
        vectorSize=args.vector_size,
        windowSize=args.window,
        minCount=args.min_count,
        maxIter=args.max_iter,
        numPartitions=args.partitions,
        seed=args.seed,
        inputCol="tokens",
        outputCol="vector",
    )
    model = w2v.fit(sentences)
    model.write().overwrite().save(args.out)
    if args.synonyms:
        answers = {}
        for w in args.synonyms:
            rows = model.findSynonymsArray(w, 5)
            answers[w] = [[word, float(sim)] for word, sim in rows]
        print(json.dumps(answers, ensure_ascii=False))
    spark.stop()


if __name__ == "__main__":
    main()
