FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu \
    tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-script-latn antiword curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY workers ./workers
COPY pipeline ./pipeline
COPY taxonomy ./taxonomy
COPY schemas ./schemas
COPY store ./store
COPY resume_parser ./resume_parser
RUN pip install --no-cache-dir . && useradd --create-home parser
USER parser
ENV RESUME_PARSER_DATA_DIR=/home/parser/data \
    RESUME_PARSER_HOST=0.0.0.0
EXPOSE 8000
CMD ["resume-parser", "serve"]
