from django.conf import settings
from django.http import HttpResponse
from django.middleware import csp, http


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body exceeds REQUEST_BODY_MAX_BYTES with 413, before
    anything reads it.

    Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE) leave out uploaded files, which it would
    stream to disk whatever their size. A body without Content-Length is never read by Django
    under WSGI, so the header is all there is to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("The Content-Length header is not a number.", status=400)
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            limit_mb = settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)
            return HttpResponse(
                f"The request body is too large (the limit is {limit_mb} MB).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's, without hashing pages marked private into an ETag: a learner's page carries a
    fresh CSRF token each time, so its ETag could never match, and hashing ~40 KB cost every
    signed-in page ~3 % of its time. Public pages keep theirs (the page cache sets them)."""

    def needs_etag(self, response):
        return "private" not in response.get("Cache-Control", "") and super().needs_etag(response)


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's, with each policy built once per process: the site's policies name no nonce, so
    their header is the same on every response, and building it again cost each one ~30 us (a
    policy that names the nonce is built per response, as Django does)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = {}  # id(config) -> (config, header value)

    def process_response(self, request, response):
        unset = object()
        for header, name, attribute in (
            (csp.CSP.HEADER_ENFORCE, "SECURE_CSP", "_csp_config"),
            (csp.CSP.HEADER_REPORT_ONLY, "SECURE_CSP_REPORT_ONLY", "_csp_ro_config"),
        ):
            if (config := getattr(response, attribute, unset)) is unset:
                config = getattr(settings, name)
            if config and header not in response:
                response.headers[str(header)] = self._policy(config, request)
        return response

    def _policy(self, config, request) -> str:
        built = self._built.get(id(config))
        if built is not None and built[0] is config:
            return built[1]
        if _names_nonce(config):
            return csp.build_policy(config, csp.get_nonce(request))
        policy = csp.build_policy(config)
        self._built[id(config)] = (config, policy)
        return policy


def _names_nonce(config) -> bool:
    return any(
        values == csp.CSP.NONCE
        or (isinstance(values, list | tuple | set) and csp.CSP.NONCE in values)
        for values in config.values()
    )
