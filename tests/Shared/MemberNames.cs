using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Research.Tests.Shared;

/// <summary>
/// Names methods and fields the same way whether they are defined in an assembly or referenced from another one:
/// "TorchSharp.torch+Tensor::add(TorchSharp.torch+Tensor)". Both sides decode the same signature blob, so a call in the
/// project and the definition in TorchSharp.dll get one key.
/// </summary>
public sealed class MemberNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
{
    /// <summary>The key of a call target: a method definition, a member reference or a generic method instance.</summary>
    public string? Method(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var definition = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                var signature = definition.DecodeSignature(this, null);
                return Key(TypeName(definition.GetDeclaringType()), reader.GetString(definition.Name), signature.ParameterTypes);
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                if (member.GetKind() != MemberReferenceKind.Method)
                    return null;
                return Key(ParentName(member.Parent), reader.GetString(member.Name), member.DecodeMethodSignature(this, null).ParameterTypes);
            case HandleKind.MethodSpecification:
                return Method(reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return null;
        }
    }

    /// <summary>What a called method returns (null for a call target this reader cannot name).</summary>
    public string? ReturnType(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)handle).DecodeSignature(this, null).ReturnType,
        HandleKind.MemberReference when reader.GetMemberReference((MemberReferenceHandle)handle) is var m
            && m.GetKind() == MemberReferenceKind.Method => m.DecodeMethodSignature(this, null).ReturnType,
        HandleKind.MethodSpecification => ReturnType(reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method),
        _ => null,
    };

    /// <summary>The name of a type handle (definition, reference or generic instance, the latter by its open type).</summary>
    public string? TypeOf(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification => ParentName(handle),
        _ => null,
    };

    /// <summary>The type of a field that an instruction reads or writes.</summary>
    public string? FieldType(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.FieldDefinition => reader.GetFieldDefinition((FieldDefinitionHandle)handle).DecodeSignature(this, null),
        HandleKind.MemberReference when reader.GetMemberReference((MemberReferenceHandle)handle) is var m
            && m.GetKind() == MemberReferenceKind.Field => m.DecodeFieldSignature(this, null),
        _ => null,
    };

    public string TypeName(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? Qualified(reader.GetString(type.Namespace), reader.GetString(type.Name))
            : $"{TypeName(declaring)}+{reader.GetString(type.Name)}";
    }

    private static string Key(string type, string name, ImmutableArray<string> parameters) =>
        $"{type}::{name}({string.Join(",", parameters)})";

    private string ParentName(EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)parent, 0),
        HandleKind.TypeDefinition => TypeName((TypeDefinitionHandle)parent),
        // A member of a generic instance is keyed by its open type: Module`2, not Module`2<Tensor,Tensor>.
        HandleKind.TypeSpecification => Open(reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(this, null)),
        _ => "?",
    };

    private static string Open(string type) => type.IndexOf('<') is var i and >= 0 ? type[..i] : type;

    private static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";

    public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(handle);

    public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = r.GetTypeReference(handle);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{GetTypeFromReference(r, (TypeReferenceHandle)type.ResolutionScope, 0)}+{r.GetString(type.Name)}"
            : Qualified(r.GetString(type.Namespace), r.GetString(type.Name));
    }

    public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
        r.GetTypeSpecification(handle).DecodeSignature(this, context);

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => $"System.{typeCode}";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
        $"{genericType}<{string.Join(",", typeArguments)}>";

    public string GetGenericMethodParameter(object? context, int index) => $"!!{index}";

    public string GetGenericTypeParameter(object? context, int index) => $"!{index}";

    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;
}
