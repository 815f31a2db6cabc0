from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Sends CONTENT_SECURITY_POLICY on every response. The pages use no inline script or
    style, so the policy allows only this origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
