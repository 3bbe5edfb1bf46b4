using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim;

/// <summary>
/// Reads a Query-protocol request's parameters (query string and <c>application/x-www-form-urlencoded</c> body) with
/// explicit limits, and turns every way the input can be malformed into an EC2-style error instead of an exception:
/// too many values or too long a key or value (<c>MalformedQueryString</c>), a parameter given twice or a control
/// character in a key or value (<c>InvalidParameterValue</c>). The body is kept for signature verification.
/// </summary>
internal static class QueryForm
{
    /// <summary>Request body limit (Kestrel's MaxRequestBodySize); larger is 413 RequestEntityTooLarge.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public static readonly FormOptions Options = new()
    {
        ValueCountLimit = 10_000,
        KeyLengthLimit = 1_024,
        ValueLengthLimit = 1024 * 1024,
        MultipartBodyLengthLimit = MaxBodyBytes,
        BufferBodyLengthLimit = MaxBodyBytes,
    };

    public static async Task<(Dictionary<string, string> Parameters, byte[] Body)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Query.Count > Options.ValueCountLimit)
        {
            throw Malformed($"Form value count limit {Options.ValueCountLimit} exceeded.");
        }

        foreach (var (key, values) in request.Query)
        {
            Add(parameters, key, values);
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBodyBytes);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        request.Body.Position = 0;
        if (request.HasFormContentType)
        {
            if (!request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed($"Content-Type {InputEcho.Of(request.ContentType)} is not supported: send the parameters as application/x-www-form-urlencoded.");
            }

            IFormCollection form;
            try
            {
                form = await new FormFeature(request, Options).ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw Malformed(ex.Message);
            }

            if (form.Count + parameters.Count > Options.ValueCountLimit)
            {
                throw Malformed($"Form value count limit {Options.ValueCountLimit} exceeded.");
            }

            foreach (var (key, values) in form)
            {
                Add(parameters, key, values);
            }
        }

        return (parameters, buffer.ToArray());
    }

    /// <summary>One parameter into the request's set: refused when repeated or when it holds what XML cannot carry.</summary>
    internal static void Add(Dictionary<string, string> parameters, string key, StringValues values)
    {
        CheckText(key, key, "name");
        if (values.Count > 1 || parameters.ContainsKey(key))
        {
            throw new Ec2Exception("InvalidParameterValue", $"The parameter {InputEcho.Of(key)} is given more than once; give each parameter once (lists are Name.1, Name.2, …).");
        }

        var value = values.ToString();
        CheckText(key, value, "value");
        parameters.Add(key, value);
    }

    private static void CheckText(string key, string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // Control characters, U+FFFE/U+FFFF and lone surrogates: none can be written in an XML answer.
            var lone = char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]) : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            if ((char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF' || lone)
            {
                throw new Ec2Exception("InvalidParameterValue", string.Create(CultureInfo.InvariantCulture,
                    $"The {what} of parameter {InputEcho.Of(key)} contains the control character or non-character \\u{(int)c:x4} at position {i}; parameters must be printable text."));
            }
        }
    }

    private static Ec2Exception Malformed(string why) => new("MalformedQueryString", $"The request could not be read: {why}");
}
