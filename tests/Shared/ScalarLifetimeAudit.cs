using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Research.Tests.Shared;

/// <summary>A call that may hand libtorch a Scalar the garbage collector can free while libtorch reads it.</summary>
/// <param name="Target">The call that makes the Scalar (or the first unowned one's source).</param>
/// <param name="Made">Where the call makes a TorchSharp object whose virtual method makes implicit Scalars (an optimizer): its type; else null.</param>
public sealed record ScalarViolation(string Method, string Location, string Reason, string Target, string? Made = null)
{
    public override string ToString() => $"{Location}: {Method}: {Reason}";
}

/// <summary>
/// Finds calls that create <c>TorchSharp.Scalar</c>s nothing keeps alive. A Scalar is a class whose finaliser frees
/// the native value; one made by an implicit conversion is unreachable once its handle was read, so the finaliser
/// thread may free it during the native call. The audit reads compiled IL:
/// <list type="bullet">
/// <item>every call of <c>Scalar.op_Implicit</c> is a violation;</item>
/// <item>so is every call of a TorchSharp method that makes such a Scalar inside (e.g. <c>Tensor.add(Tensor)</c> passes
/// alpha = 1 implicitly), found by reading TorchSharp.dll itself, transitively;</item>
/// <item>a method that receives more Scalars from calls (<c>ToScalar()</c> of a number or a tensor, say) than it
/// disposes, stores into Scalar fields or returns leaves one to the finaliser too; so TorchSharp's
/// <c>Tensor.ToDouble()</c>, which is <c>ToScalar().ToDouble()</c>, is a hidden one.</item>
/// </list>
/// </summary>
public sealed class ScalarLifetimeAudit
{
    private const string ScalarType = "TorchSharp.Scalar";
    private const string ImplicitPrefix = ScalarType + "::op_Implicit(";
    private const string ToScalarPrefix = "TorchSharp.ScalarExtensionMethods::ToScalar(";

    private static readonly Lazy<ScalarLifetimeAudit> OfLoadedTorchSharp = new(() => new ScalarLifetimeAudit(typeof(TorchSharp.torch).Assembly.Location));

    /// <summary>The audit against the TorchSharp.dll this process loaded, read once per process.</summary>
    public static ScalarLifetimeAudit ForTorchSharp => OfLoadedTorchSharp.Value;

    /// <summary>TorchSharp methods that make an implicit Scalar inside, directly or through another TorchSharp method.</summary>
    public IReadOnlySet<string> HiddenScalarMethods { get; }

    /// <summary>
    /// TorchSharp types with a virtual method that makes implicit Scalars (an optimizer's step, say), each with one such
    /// method: a call through the base type cannot be seen in IL, so making such an object is the violation.
    /// </summary>
    public IReadOnlyDictionary<string, string> HiddenScalarTypes { get; }

    public ScalarLifetimeAudit(string torchSharpAssembly)
    {
        using var pe = new PEReader(File.OpenRead(torchSharpAssembly));
        var reader = pe.GetMetadataReader();
        var names = new MemberNames(reader);
        var callees = new Dictionary<string, List<string>>();
        var hidden = new HashSet<string>();
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            var key = names.Method(handle)!;
            if (key.StartsWith(ImplicitPrefix, StringComparison.Ordinal) || key.StartsWith(ToScalarPrefix, StringComparison.Ordinal))
                continue; // the conversions themselves hand ownership to their caller
            if (method.RelativeVirtualAddress == 0)
                continue;
            var calls = Calls(pe, names, method).ToList();
            if (calls.Any(c => c.Target.StartsWith(ImplicitPrefix, StringComparison.Ordinal))
                || LeavesScalarToFinaliser(calls, ReturnsScalar(reader, names, method)))
                hidden.Add(key);
            callees[key] = calls.Where(c => c.Kind == CallKind.Call).Select(c => c.Target).ToList();
        }
        // Transitive: a TorchSharp method that calls a hidden one is hidden too.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (key, targets) in callees)
            {
                if (!hidden.Contains(key) && targets.Any(hidden.Contains))
                    changed = hidden.Add(key) | changed;
            }
        }
        HiddenScalarMethods = hidden;
        HiddenScalarTypes = TypesWithHiddenOverrides(reader, names, hidden);
    }

    private static Dictionary<string, string> TypesWithHiddenOverrides(MetadataReader reader, MemberNames names, HashSet<string> hidden)
    {
        var own = new Dictionary<string, string>();
        var bases = new Dictionary<string, string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var name = names.TypeName(handle);
            if (!type.BaseType.IsNil && names.TypeOf(type.BaseType) is { } baseName)
                bases[name] = baseName;
            var virtualHidden = type.GetMethods()
                .Where(m => (reader.GetMethodDefinition(m).Attributes & System.Reflection.MethodAttributes.Virtual) != 0)
                .Select(m => names.Method(m)!)
                .FirstOrDefault(hidden.Contains);
            if (virtualHidden is not null)
                own[name] = virtualHidden;
        }
        var result = new Dictionary<string, string>();
        foreach (var name in bases.Keys.Concat(own.Keys).Distinct())
        {
            for (var t = name; t is not null; t = bases.GetValueOrDefault(t))
            {
                if (own.TryGetValue(t, out var method))
                {
                    result[name] = method;
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>Every violation in one compiled assembly, with the source line when its portable PDB is beside it.</summary>
    public IReadOnlyList<ScalarViolation> Scan(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var reader = pe.GetMetadataReader();
        var names = new MemberNames(reader);
        var pdbPath = Path.ChangeExtension(assembly, ".pdb");
        using var pdb = File.Exists(pdbPath) ? MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath)) : null;
        var debug = pdb?.GetMetadataReader();
        var violations = new List<ScalarViolation>();
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
                continue;
            var name = names.Method(handle)!;
            var calls = Calls(pe, names, method).ToList();
            string Where(int offset) => Location(debug, handle, offset) ?? $"{Path.GetFileName(assembly)} IL_{offset:x4}";
            foreach (var call in calls.Where(c => c.Kind == CallKind.Call))
            {
                if (call.Target.StartsWith(ImplicitPrefix, StringComparison.Ordinal))
                    violations.Add(new(name, Where(call.Offset), $"implicit conversion {call.Target}", call.Target));
                else if (HiddenScalarMethods.Contains(call.Target))
                    violations.Add(new(name, Where(call.Offset), $"{call.Target} makes an implicit Scalar inside", call.Target));
                else if (call.Made is { } made && HiddenScalarTypes.TryGetValue(made, out var overridden))
                    violations.Add(new(name, Where(call.Offset), $"{call.Target} makes a {made}, whose {overridden} makes an implicit Scalar inside", call.Target, made));
            }
            if (LeavesScalarToFinaliser(calls, ReturnsScalar(reader, names, method)))
            {
                var first = calls.First(MakesScalar);
                violations.Add(new(name, Where(first.Offset), $"the Scalar from {first.Target} is neither disposed, kept in a field nor returned", first.Target));
            }
        }
        return violations;
    }

    private enum CallKind
    {
        Call,
        Dispose,
        ScalarStore,
    }

    /// <param name="Made">The type a constructor call or a factory's return value makes.</param>
    private readonly record struct Call(int Offset, CallKind Kind, string Target, string? Made = null);

    private static IEnumerable<Call> Calls(PEReader pe, MemberNames names, MethodDefinition method)
    {
        var body = pe.GetMethodBody(method.RelativeVirtualAddress);
        foreach (var instruction in IlInstructions.WithTokens(body))
        {
            switch (instruction.OpCode)
            {
                case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
                    if (names.Method(instruction.Token) is not { } target)
                        break;
                    var dispose = target is "System.IDisposable::Dispose()" or ScalarType + "::Dispose()";
                    var made = instruction.OpCode == ILOpCode.Newobj ? target[..target.IndexOf("::", StringComparison.Ordinal)] : names.ReturnType(instruction.Token);
                    yield return new(instruction.Offset, dispose ? CallKind.Dispose : CallKind.Call, target, made);
                    break;
                case ILOpCode.Stfld or ILOpCode.Stsfld when names.FieldType(instruction.Token) == ScalarType:
                    yield return new(instruction.Offset, CallKind.ScalarStore, ScalarType);
                    break;
            }
        }
    }

    // Any call that returns a Scalar hands over one to own: ToScalar() of a number or of a tensor (Tensor.ToDouble() makes
    // one that way and never disposes it), or a factory; op_Implicit is a violation of its own.
    private static bool MakesScalar(Call c) =>
        c.Kind == CallKind.Call && c.Made == ScalarType && !c.Target.StartsWith(ImplicitPrefix, StringComparison.Ordinal);

    private static bool LeavesScalarToFinaliser(IReadOnlyList<Call> calls, bool returnsScalar)
    {
        var made = calls.Count(MakesScalar);
        var kept = calls.Count(c => c.Kind is CallKind.Dispose or CallKind.ScalarStore) + (returnsScalar ? 1 : 0);
        return made > kept;
    }

    private static bool ReturnsScalar(MetadataReader reader, MemberNames names, MethodDefinition method) =>
        method.DecodeSignature(names, null).ReturnType == ScalarType;

    private static string? Location(MetadataReader? debug, MethodDefinitionHandle method, int offset)
    {
        if (debug is null)
            return null;
        SequencePoint? best = null;
        foreach (var point in debug.GetMethodDebugInformation(method.ToDebugInformationHandle()).GetSequencePoints())
        {
            if (point.IsHidden || point.Offset > offset)
                continue;
            best = point;
        }
        if (best is not { } p)
            return null;
        var document = debug.GetString(debug.GetDocument(p.Document).Name);
        return $"{document}:{p.StartLine}";
    }
}
