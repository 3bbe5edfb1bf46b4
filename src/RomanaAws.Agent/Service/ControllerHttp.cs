using System.Net.Http.Headers;
using RomanaAws.Core.Security;

namespace RomanaAws.Agent.Service;

/// <summary>
/// The agent's HttpClient for the controller: TLS trusting only the controller's CA bundle when one is given (re-read on
/// change, so a CA rotation needs no restart), and the pod's projected token on every call when a token file is given.
/// </summary>
public static class ControllerHttp
{
    public static HttpClient Create(TokenFile? token, CaTrust? trust, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        trust?.Apply(handler);
        HttpMessageHandler pipeline = token is null ? handler : new BearerTokenHandler(token) { InnerHandler = handler };
        return new HttpClient(pipeline) { Timeout = timeout };
    }

    /// <summary>Adds <c>Authorization: Bearer</c> with the token file's current token; an unusable token stops the call.</summary>
    private sealed class BearerTokenHandler(TokenFile token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Current());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
