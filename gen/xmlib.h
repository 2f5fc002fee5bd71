/*
 * xmlib: libxml2, loaded the first time ardoise uses it (dlopen), not at
 * start-up. Linked, libxml2 and what it brings (ICU, libstdc++) cost every
 * run some 150 page faults and 2.5 ms before main, and most runs write no
 * XML: a rebuild whose feed did not change, a check, a hook.
 *
 * A file using libxml2 includes this header instead of libxml2's: the
 * functions below then name the loaded ones, and are called as usual,
 * once xmlib_ready() said the library is there. It loads and initialises
 * it the first time (xmlInitParser, once, from whichever thread: LIBNOTES.md
 * asks that no other thread use libxml2 meanwhile, as pthread_once
 * ensures; STYLE.md rule 9 calls it in main for the linked library).
 */
#ifndef ARDOISE_XMLIB_H
#define ARDOISE_XMLIB_H

#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlwriter.h>

#define XMLIB_SYMBOLS(X) \
	X(xmlAddChild) X(xmlAddPrevSibling) X(xmlBufferContent) X(xmlBufferCreate) \
	X(xmlBufferFree) X(xmlBufferLength) X(xmlDocDumpMemoryEnc) X(xmlDocGetRootElement) \
	X(xmlEncodeSpecialChars) X(xmlFreeDoc) X(xmlFreeNode) X(xmlFreeTextWriter) \
	X(xmlGetProp) X(xmlHasProp) X(xmlNewChild) X(xmlNewProp) X(xmlNewTextWriterMemory) \
	X(xmlNodeGetContent) X(xmlReadFile) X(xmlSetProp) X(xmlTextWriterEndDocument) \
	X(xmlTextWriterEndElement) X(xmlTextWriterFlush) X(xmlTextWriterSetIndent) \
	X(xmlTextWriterSetIndentString) X(xmlTextWriterStartDocument) \
	X(xmlTextWriterStartElement) X(xmlTextWriterStartElementNS) \
	X(xmlTextWriterWriteAttribute) X(xmlTextWriterWriteAttributeNS) \
	X(xmlTextWriterWriteDTD) X(xmlTextWriterWriteElement) X(xmlTextWriterWriteString) \
	X(xmlUnlinkNode) X(xmlUnsetProp)

struct xmlib {
#define XMLIB_FIELD(f) __typeof__(f) *f;
	XMLIB_SYMBOLS(XMLIB_FIELD)
#undef XMLIB_FIELD
	xmlFreeFunc *xmlFree;		/* a variable of libxml2's */
};

#define XMLIB_SONAME "libxml2.so.2"

/* Loads libxml2 the first time (any thread): 0, or -1 with why it cannot
 * be in err (errlen bytes; err may be NULL). */
int xmlib_ready(char *err, size_t errlen);
/* Its functions (NULL until xmlib_ready succeeded). */
const struct xmlib *xmlib(void);
/* Releases libxml2's global state (xmlCleanupParser) when it was loaded:
 * only just before exit. */
void xmlib_shutdown(void);

#ifndef XMLIB_LOADER
#define XMLIB_REDIRECT(f) (xmlib()->f)
#define xmlAddChild XMLIB_REDIRECT(xmlAddChild)
#define xmlAddPrevSibling XMLIB_REDIRECT(xmlAddPrevSibling)
#define xmlBufferContent XMLIB_REDIRECT(xmlBufferContent)
#define xmlBufferCreate XMLIB_REDIRECT(xmlBufferCreate)
#define xmlBufferFree XMLIB_REDIRECT(xmlBufferFree)
#define xmlBufferLength XMLIB_REDIRECT(xmlBufferLength)
#define xmlDocDumpMemoryEnc XMLIB_REDIRECT(xmlDocDumpMemoryEnc)
#define xmlDocGetRootElement XMLIB_REDIRECT(xmlDocGetRootElement)
#define xmlEncodeSpecialChars XMLIB_REDIRECT(xmlEncodeSpecialChars)
#define xmlFreeDoc XMLIB_REDIRECT(xmlFreeDoc)
#define xmlFreeNode XMLIB_REDIRECT(xmlFreeNode)
#define xmlFreeTextWriter XMLIB_REDIRECT(xmlFreeTextWriter)
#define xmlGetProp XMLIB_REDIRECT(xmlGetProp)
#define xmlHasProp XMLIB_REDIRECT(xmlHasProp)
#define xmlNewChild XMLIB_REDIRECT(xmlNewChild)
#define xmlNewProp XMLIB_REDIRECT(xmlNewProp)
#define xmlNewTextWriterMemory XMLIB_REDIRECT(xmlNewTextWriterMemory)
#define xmlNodeGetContent XMLIB_REDIRECT(xmlNodeGetContent)
#define xmlReadFile XMLIB_REDIRECT(xmlReadFile)
#define xmlSetProp XMLIB_REDIRECT(xmlSetProp)
#define xmlTextWriterEndDocument XMLIB_REDIRECT(xmlTextWriterEndDocument)
#define xmlTextWriterEndElement XMLIB_REDIRECT(xmlTextWriterEndElement)
#define xmlTextWriterFlush XMLIB_REDIRECT(xmlTextWriterFlush)
#define xmlTextWriterSetIndent XMLIB_REDIRECT(xmlTextWriterSetIndent)
#define xmlTextWriterSetIndentString XMLIB_REDIRECT(xmlTextWriterSetIndentString)
#define xmlTextWriterStartDocument XMLIB_REDIRECT(xmlTextWriterStartDocument)
#define xmlTextWriterStartElement XMLIB_REDIRECT(xmlTextWriterStartElement)
#define xmlTextWriterStartElementNS XMLIB_REDIRECT(xmlTextWriterStartElementNS)
#define xmlTextWriterWriteAttribute XMLIB_REDIRECT(xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteAttributeNS XMLIB_REDIRECT(xmlTextWriterWriteAttributeNS)
#define xmlTextWriterWriteDTD XMLIB_REDIRECT(xmlTextWriterWriteDTD)
#define xmlTextWriterWriteElement XMLIB_REDIRECT(xmlTextWriterWriteElement)
#define xmlTextWriterWriteString XMLIB_REDIRECT(xmlTextWriterWriteString)
#define xmlUnlinkNode XMLIB_REDIRECT(xmlUnlinkNode)
#define xmlUnsetProp XMLIB_REDIRECT(xmlUnsetProp)
#undef xmlFree
#define xmlFree (*xmlib()->xmlFree)
#endif

#endif
