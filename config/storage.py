"""Where uploaded files live: the STORAGES["default"] entry, read from the environment.

- Nothing set: Django's FileSystemStorage under MEDIA_ROOT (var/media/), what `make run` uses.
- STORAGE_URL=s3://KEY:SECRET@HOST:PORT/BUCKET (s3+http:// for a store without TLS, such as
  MinIO on a private network; add ?region=NAME if the store wants one), or
- AWS_STORAGE_BUCKET_NAME with AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY and AWS_S3_REGION_NAME (django-storages' own names; the keys may also
  come from the machine's role): django-storages' S3Storage, so that every web machine and
  worker reads the same files.

Files are private either way: no public ACL, no public URL; the desk streams each one
through a view that checks who may read it.
"""

from urllib.parse import parse_qs, unquote, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_options_from_url(url):
    """django-storages S3 options for s3://KEY:SECRET@HOST[:PORT]/BUCKET[?region=NAME]."""
    parts = urlsplit(url)
    if parts.scheme not in ("s3", "s3+http", "s3+https"):
        raise ValueError(
            f"STORAGE_URL must start with s3://, s3+http:// or s3+https://, not {parts.scheme}://"
        )
    bucket = parts.path.strip("/")
    if not bucket:
        raise ValueError("STORAGE_URL names no bucket: s3://KEY:SECRET@HOST:PORT/BUCKET")
    options = {"bucket_name": bucket, **_private()}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    if parts.hostname:
        scheme = "http" if parts.scheme == "s3+http" else "https"
        port = f":{parts.port}" if parts.port else ""
        options["endpoint_url"] = f"{scheme}://{parts.hostname}{port}"
    region = parse_qs(parts.query).get("region")
    if region:
        options["region_name"] = region[0]
    return options


def _private():
    return {
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        # Path-style addressing: MinIO and most S3-compatible stores want bucket names in the path.
        "addressing_style": "path",
    }


def from_env(env, media_root):
    """The STORAGES["default"] entry for this environment."""
    url = env("STORAGE_URL", default="")
    if url:
        return {"BACKEND": S3_BACKEND, "OPTIONS": s3_options_from_url(url)}
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if bucket:
        options = {"bucket_name": bucket, **_private()}
        for option, name in (
            ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
            ("access_key", "AWS_ACCESS_KEY_ID"),
            ("secret_key", "AWS_SECRET_ACCESS_KEY"),
            ("region_name", "AWS_S3_REGION_NAME"),
        ):
            value = env(name, default="")
            if value:
                options[option] = value
        return {"BACKEND": S3_BACKEND, "OPTIONS": options}
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media_root)},
    }
